/** `logsim collect --explain FILE`: per line, the format auto picks, what it extracts, and each other format's reason. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("--explain shows the winner, its fields and why the others refused, for the first N lines", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-explain-");
  try {
    const lines = ['{"level":"warn","msg":"slow","ms":820}', '{"level":"info","msg":"cut', "", "x=1", "[2026-11-25 10:00:00,123] INFO: hello", "never shown"];
    writeFileSync(join(dir, "a.log"), `${lines.join("\n")}\n`);
    const r = await runCli(["collect", "--explain", "a.log", "--lines", "5", "--timezone", "UTC"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^Times written without a zone are read in UTC/);
    assert.match(out, /line 1 \(byte 0\): \{"level":"warn".*\n  auto: json\n    time .*  level WARN\n    message "slow"\n    fields \{"ms":820\}/);
    assert.match(out, /line 2 \(byte 39\): .*\n  auto: no format matched; .* as "json: invalid JSON"/);
    assert.match(out, /line 3 \(byte 66\): \n  blank: skipped/);
    assert.match(out, /line 4 .*x=1\n  auto: no format matched[^\n]*\n(  .*\n)*  logfmt: reads it, but auto does not take a file for logfmt from this line alone/);
    assert.match(out, /line 1 [^\n]*\n(?:  .*\n|    .*\n)*  not tried, the line cannot start them: [a-z-]+(, [a-z-]+)*\n/);
    assert.match(out, /line 5 .*\n  auto: plain-text\n    time 2026-11-25T10:00:00.123Z  level INFO\n/);
    assert.doesNotMatch(out, /never shown/);
    const missing = await runCli(["collect", "--explain", "nope.log"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^cannot read .*nope\.log: /);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
  } finally {
    cleanup();
  }
});
