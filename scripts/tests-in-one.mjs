// Runs test files in ONE process (Node) or module graph (Deno), as `bun test` does: `node --test`
// starts a process per file and `deno test FILE...` an isolate per file, and loading the sources and
// their dependencies (zod, hono, nats) again for each of ~190 files cost more time than many tests
// (Node, 12 core test files: 26 s as processes, 4 s in one; Deno, the first 60 core and plugin files:
// 149 s apart, 83 s in one). Files with hooks at their top level (`before(`, `after(` ...) belong to
// the whole run here, so scripts/test.sh gives those their own. Under Deno the files, imported by a
// computed name, are not type-checked: tsc does that (the run's first step), and test.sh checks
// runtime/deno with `deno check`. A file that fails to load is one failing test; the run goes on.
// Usage: node --conditions=source --import tsx scripts/tests-in-one.mjs FILE...
//        deno test -A scripts/tests-in-one.mjs -- FILE...
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import process from "node:process";

const deno = globalThis.Deno;
const files = deno ? deno.args : process.argv.slice(2);
for (const file of files) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    test(`load ${file}`, () => {
      throw error;
    });
  }
}
// A test that leaves a handle open (a timer, a socket) would keep Node's process alive after the last
// test: exit anyway, with the status the failed tests set. (Deno's runner ends on its own.)
if (!deno) {
  after(() => {
    setTimeout(() => {
      console.log(`# tests-in-one: ${files.length} files done; a handle was left open, exiting`);
      process.exit();
    }, 5000).unref();
  });
}
