// Runs test files under Node in ONE process, as `bun test` and `deno test` do: `node --test` starts a
// process per file, and loading the TypeScript sources again for each of ~160 files cost Node more
// time than its tests (12 core test files: 26 s as processes, 4 s in one). Files with hooks at
// their top level (`before(`, `after(` ...) belong to the whole run here, so scripts/test.sh gives
// those their own process. A file that fails to load is one failing test; the run goes on.
// Usage: node --conditions=source --import tsx scripts/node-tests.mjs FILE...
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const files = process.argv.slice(2);
for (const file of files) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    test(`load ${file}`, () => {
      throw error;
    });
  }
}
// A test that leaves a handle open (a timer, a socket) would keep the process alive after the last
// test: exit anyway, with the status the failed tests set.
after(() => {
  setTimeout(() => {
    console.log(`# node-tests: ${files.length} files done; a handle was left open, exiting`);
    process.exit();
  }, 5000).unref();
});
