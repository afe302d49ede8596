/**
 * End to end: copytruncate while the collector is stopped. `collect --once` reads 50 lines; 50
 * more are appended; `cp app.log app.log.1 && : > app.log`; 1 more; the next run must read
 * lines 51-101 once each, from the copy and the truncated file, and report nothing lost.
 */
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";
import { collectedNumbers, tallyNumbers } from "./_collector.ts";

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `{"n":${from + i},"message":"line ${from + i}"}\n`).join("");

for (const glob of ["app.log", "app.log*"]) {
  test(`copytruncate while the collector is stopped: the next run reads the rest from the copy (--input ${glob})`, { timeout: 60_000 }, async () => {
    const { dir, cleanup } = tempDir("logsim-collect-ct-restart-");
    try {
      const log = join(dir, "app.log");
      const out = join(dir, "collected.jsonl");
      const args = ["collect", "--input", join(dir, glob), "--once", "--output", out, "--parser", "json", "--state-dir", join(dir, "state")];
      writeFileSync(log, lines(1, 50));
      const first = await runCli(args, { cwd: dir });
      assert.equal(first.code, 0, first.stderr);
      appendFileSync(log, lines(51, 100));
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      appendFileSync(log, lines(101, 101));
      const second = await runCli(args, { cwd: dir });
      assert.equal(second.code, 0, second.stderr);
      const { numbers, broken } = collectedNumbers(out);
      assert.deepEqual(broken, []);
      const { missing, duplicates } = tallyNumbers(numbers, 101);
      assert.deepEqual(missing, []);
      assert.equal(duplicates, 0);
      assert.match(second.stderr, /1 truncated \(1 read on from their copy; 0 B lost/);
      assert.doesNotMatch(second.stderr, /while the collector was down/);
    } finally {
      cleanup();
    }
  });
}
