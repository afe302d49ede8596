// Runs test files under Deno in ONE module graph, as scripts/node-tests.mjs does under Node:
// `deno test FILE...` loads each file in an isolate of its own, and loading the sources and their
// dependencies (zod, hono, nats) again for each of ~190 files cost Deno more time than the tests
// (the first 60 core and plugin files: 149 s apart, 83 s in one). Files with hooks at their top
// level (`before(`, `after(` ...) belong to the whole run here, so scripts/test.sh gives those
// their own. The files are imported by a computed name, so Deno does not type-check them: the run's
// first step (tsc) does, and test.sh checks runtime/deno with `deno check`. A file that fails to
// load is one failing test; the run goes on.
// Usage: deno test -A scripts/deno-tests.ts -- FILE...
import { test } from "node:test";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const files = (globalThis as unknown as { Deno: { args: string[] } }).Deno.args;
for (const file of files) {
  try {
    await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    test(`load ${file}`, () => {
      throw error;
    });
  }
}
