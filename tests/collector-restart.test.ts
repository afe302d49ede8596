/**
 * End to end: the collector is killed with SIGKILL 10 times while a writer
 * appends and rotates, and restarted each time. Nothing may be lost; lines
 * written again after a kill (acked by the sink, position not yet saved) are
 * counted and bounded.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";
import { collectedNumbers, runWriter, tallyNumbers } from "./_collector.ts";

const TOTAL = 20_000;
const KILLS = 10;

test("kill -9 ten times during a run: no line lost, duplicates bounded", { timeout: 240_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-kill-");
  try {
    mkdirSync(join(dir, "logs"));
    const log = join(dir, "logs/app.log");
    writeFileSync(log, "");
    const out = join(dir, "out/collected.jsonl");
    const state = join(dir, "state");
    // Rotated names are under the glob too, so files rotated while the collector is down are still found.
    const args = ["collect", "--input", `${log}*`, "--from-beginning", "--output", out, "--parser", "json", "--state-dir", state];
    const start = () => startCli(args, { cwd: dir, timeoutMs: 230_000 });
    let collector = start();
    await waitFor(() => existsSync(state), 30_000, "the collector to start");
    const writer = runWriter(log, TOTAL, 10, 5, "rename", 14_000);
    for (let i = 0; i < KILLS; i++) {
      await new Promise((r) => setTimeout(r, 600 + Math.random() * 600));
      signal(collector.child, "SIGKILL");
      const killed = await collector.done;
      assert.equal(killed.signal ?? "SIGKILL", "SIGKILL");
      collector = start();
    }
    assert.equal(await writer, 0);
    await waitFor(() => tallyNumbers(collectedNumbers(out).numbers, TOTAL).missing.length === 0, 90_000, "every line to be collected");
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    assert.equal(result.code, 0, result.stderr);
    const { numbers, broken } = collectedNumbers(out);
    assert.deepEqual(broken, [], "no line split or merged");
    const { missing, duplicates } = tallyNumbers(numbers, TOTAL);
    assert.deepEqual(missing, []);
    // At most one flush's worth per kill: the channel (16 batches) of up to 1000 lines.
    assert.ok(duplicates <= KILLS * 16 * 1000, `${duplicates} duplicates`);
    console.log(`kill -9 x${KILLS}: ${TOTAL} lines, ${duplicates} written twice`);
  } finally {
    cleanup();
  }
});
