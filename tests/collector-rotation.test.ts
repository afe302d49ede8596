/**
 * End to end, on the real file system: the `collect` CLI (a child process of
 * the runtime running this test) follows a file that another process appends
 * 100,000 numbered lines to while rename-rotating it 100 times (3 backups
 * kept, older ones deleted). Every number must come out exactly once, every
 * line whole.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";
import { collectedNumbers, lineCount, runWriter, tallyNumbers } from "./_collector.ts";

const TOTAL = 100_000;

test("rename rotation x100 under a live writer: every line exactly once, none split or merged", { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-rot-");
  let collector: ReturnType<typeof startCli> | undefined;
  try {
    mkdirSync(join(dir, "logs"));
    const log = join(dir, "logs/app.log");
    writeFileSync(log, "");
    const out = join(dir, "out/collected.jsonl");
    // The rotated names are under the glob too, as the docs advise: a file the collector follows is read on through
    // its open handle after a rename and recognised (device, inode, fingerprint) when found again as app.log.N, never
    // read twice; one a loaded collector had no look at while it was app.log is still found as a backup.
    collector = startCli(["collect", "--input", `${log}*`, "--output", out, "--parser", "json", "--state-dir", join(dir, "state"), "--deadletter", join(dir, "out/dead.jsonl")], { cwd: dir, timeoutMs: 170_000 });
    await waitFor(() => existsSync(join(dir, "state")), 30_000, "the collector to start");
    // 100 rotations in 20 s: each app.log lives 200 ms, and 10 backups are kept (2 s as app.log.N). With only
    // app.log under the glob a loaded runner (load 10 on 2 cores) missed whole files: no scan while they were app.log.
    const code = await runWriter(log, TOTAL, 100, 10, "rename", 20_000);
    assert.equal(code, 0, "writer exit code");
    try {
      await waitFor(() => lineCount(out) >= TOTAL, 60_000, "every line to be collected");
    } catch (error) {
      // Lost, or only late? Say which lines are missing.
      const { missing, duplicates } = tallyNumbers(collectedNumbers(out).numbers, TOTAL);
      const first = missing.slice(0, 5).join(", ");
      // The collector's own account (its summary counts rotations, files opened and closed, bytes lost).
      signal(collector.child, "SIGTERM");
      const { stderr } = await collector.done;
      throw new Error(`${(error as Error).message}: ${missing.length} missing (first: ${first}; last: ${missing.at(-1)}), ${duplicates} duplicates; collector stderr:\n${stderr.slice(-4000)}`);
    }
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    assert.equal(result.code, 0, result.stderr);
    const { numbers, broken } = collectedNumbers(out);
    assert.deepEqual(broken, [], "no line split or merged");
    const { missing, duplicates } = tallyNumbers(numbers, TOTAL);
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} lines missing`);
    assert.equal(duplicates, 0);
    assert.equal(numbers.length, TOTAL);
    assert.ok(!existsSync(join(dir, "out/dead.jsonl")), "no parse errors");
    assert.match(result.stderr, /read 100,000 lines/);
  } finally {
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      collector.child.kill("SIGKILL");
      await collector.done;
    }
    cleanup();
  }
});
