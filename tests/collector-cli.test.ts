/** `logsim collect` user errors: one line per problem, non-zero exit, no stack trace. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("bad collect flags are reported one line each, without a stack", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-cli-");
  try {
    const usage = await runCli(["collect", "-i", "x.log", "--tag", "nameless", "--parser", "yaml"], { cwd: dir });
    assert.equal(usage.code, 2);
    const [parser, tag, ...rest] = usage.stderr.trim().split("\n");
    assert.match(parser!, /^--parser: expected one of auto, json, [a-z, -]+, got "yaml"$/);
    assert.deepEqual([tag, rest], ['--tag: expected NAME=REGEX, got "nameless"', []]);
    const unsafe = await runCli(["collect", "-i", "x.log", "--filter", "(a)\\1", "--on-parse-error", "ignore"], { cwd: dir });
    assert.equal(unsafe.code, 2, "a bad flag value is a usage error");
    const lines = unsafe.stderr.trim().split("\n").sort();
    assert.equal(lines.length, 2, unsafe.stderr);
    assert.match(lines[0]!, /^--filter "\(a\)\\\\1": backreferences are not supported/);
    assert.equal(lines[1], '--on-parse-error "ignore": expected "deadletter", "drop" or "pass"');
    assert.ok(!/\n\s+at /.test(unsafe.stderr), "no stack trace");
  } finally {
    cleanup();
  }
});
