/** `logsim validate` says which engine runs each regex of the config, and why. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempDir } from "./_helpers.ts";

test("validate prints each regex option's engine and reason: native when proved linear-time, re2 otherwise", async () => {
  const { dir, cleanup } = tempDir(".test-tmp-", ROOT);
  try {
    const path = join(dir, "regex.config.ts");
    writeFileSync(
      path,
      `import { defineConfig } from "logsim";
import { tail, json, regex, filter, tag, redact, jsonl } from "logsim/plugins";
export default defineConfig({
  pipelines: {
    collect: {
      sources: [tail({ include: "in/*.log", multiline: { start: "^\\\\d{4}-" } })],
      parsers: [json(), regex({ pattern: "^(?<timestamp>\\\\S+) (?<level>[A-Z]+) \\\\[(?<service>[^\\\\]]+)\\\\] (?<message>.*)$" })],
      transforms: [
        filter({ match: 'level":"(ERROR|WARN)"| (ERROR|WARN) \\\\[|payment|auth' }),
        tag({ rules: [{ tag: "auth", field: "service", equals: "auth" }, { tag: "slow", match: "(a+)+$" }] }),
        redact({ patterns: ["ssn=(?<secret>\\\\d{3}-\\\\d{2}-\\\\d{4})", { name: "iban", match: "\\\\bDE\\\\d{20}\\\\b" }] }),
      ],
      sinks: [jsonl({ path: "out.jsonl" })],
    },
  },
});\n`,
    );
    const r = await runCli(["validate", "--config", path], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /: ok \(1 pipeline, 7 plugins\)$/);
    assert.match(lines[1]!, /^regexes \(native: /);
    const rest = lines.slice(2);
    // On a loaded machine the analysis of (a+)+$ may stop at its timeout: RE2 either way.
    assert.match(rest.splice(3, 1)[0]!, /^  pipelines\.collect\.transforms\[1\]\.rules\[1\]\.match \(tag\): re2 \((vulnerable: exponential backtracking on 'aaaa|not proved safe: the analysis timed out)/);
    assert.deepEqual(rest, [
      "  pipelines.collect.sources[0].multiline.start (tail): native (safe: every repetition is unambiguous)",
      "  pipelines.collect.parsers[1].pattern (regex): native (safe: every repetition is unambiguous)",
      "  pipelines.collect.transforms[0].match (filter): native (safe: no repetition, at most 6 ways to match)",
      "  pipelines.collect.transforms[2].patterns[0] (redact): native (safe: every repetition is unambiguous)",
      "  pipelines.collect.transforms[2].patterns[1].match (redact): native (safe: every repetition is unambiguous)",
    ]);
  } finally {
    cleanup();
  }
});
