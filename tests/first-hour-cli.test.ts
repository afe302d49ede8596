/** The CLI's first-hour papercuts (issue "The first hour"), end to end under the runtime running the tests. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempDir } from "./_helpers.ts";

const inRepoTemp = () => tempDir(".test-tmp-", ROOT);

test("a syntax error in a .ts, .mjs or .json config: file:line:column: message, the line and a caret, exit 1", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = inRepoTemp();
  try {
    const cases: Array<[string, string, string[]]> = [
      ["logsim.config.ts", 'import { defineConfig } from "logsim";\nexport default defineConfig({\n  pipelines: {\n    a: { sources: [ }\n  },\n});\n', ["4:21: Unexpected \"}\"", '    a: { sources: [ }', "                    ^"]],
      ["logsim.config.mjs", "export default {\n\tpipelines: { a: { sources: [], sinks: [] } }\n\tservices: [],\n};\n", ['3:2: Expected "}" but found "services"', "\tservices: [],", "\t^"]],
      ["logsim.config.json", '{\n  "pipelines": {\n    "a": { "sources": [], },\n  }\n}\n', ['3:25: Trailing comma before "}"', '    "a": { "sources": [], },', "                        ^"]],
    ];
    for (const [name, body, [first, line, caret]] of cases) {
      const path = join(dir, name);
      writeFileSync(path, body);
      const r = await runCli(["validate", "--config", path]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, `${path}:${first}\n  ${line}\n  ${caret}\n`, name);
    }
  } finally {
    cleanup();
  }
});
