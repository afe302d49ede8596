/** `logsim collect` user errors: one line per problem, non-zero exit, no stack trace. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("bad collect flags are reported one line each, without a stack", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-cli-");
  try {
    const usage = await runCli(["collect", "-i", "x.log", "--tag", "nameless", "--parser", "yaml"], { cwd: dir });
    assert.equal(usage.code, 2);
    assert.deepEqual(usage.stderr.trim().split("\n"), ['--parser: expected one of auto, json, plain-text, logfmt, csv, apache, nginx, syslog, logcat, windows-cbs, bluegene-ras, thunderbird, lanl-hpc, hdfs, healthapp, proxifier, timestamped, got "yaml"', '--tag: expected NAME=REGEX, got "nameless"']);
    const unsafe = await runCli(["collect", "-i", "x.log", "--filter", "(a)\\1", "--on-parse-error", "ignore"], { cwd: dir });
    assert.equal(unsafe.code, 1);
    const lines = unsafe.stderr.trim().split("\n");
    assert.equal(lines.length, 2, unsafe.stderr);
    assert.match(unsafe.stderr, /filter > match: backreferences are not supported/);
    assert.match(unsafe.stderr, /onParseError: expected "deadletter", "drop" or "pass"/);
    assert.ok(!/\n\s+at /.test(unsafe.stderr), "no stack trace");
  } finally {
    cleanup();
  }
});
