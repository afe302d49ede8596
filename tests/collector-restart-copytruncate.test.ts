/**
 * End to end: kill -9 twice (CI; more in adversarial-kill.long)  while a writer copytruncates `app.log` into `app.log.1` (under
 * the glob). Each restart continues a file copied and truncated while the collector was down from
 * its saved offset in the copy: no line is lost unless its copy was itself overwritten by the next
 * copytruncate before a restart (and then that loss is reported). Duplicates are at most the
 * batches in flight at each kill, as under rename rotation: before the copy was kept as a copy
 * across restarts, a restart that found the copy as a plain file under the glob read the next copy
 * made over it from 0 (7,229-19,750 lines twice in 5 kills on Bun); see tailer.kill.property.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";
import { runWriter, savedSince, verifyWriter } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";

const TOTAL = 10_000;
const KILLS = 2;

test("kill -9 during copytruncate rotation: a line lost is a line reported; duplicates bounded", { timeout: 240_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-kill-ct-");
  let collector: ReturnType<typeof startCli> | undefined;
  try {
    const log = join(dir, "app.log");
    writeFileSync(log, "");
    const out = join(dir, "collected.jsonl");
    const state = join(dir, "state");
    const args = ["collect", "--input", `${log}*`, "--from-beginning", "--output", out, "--parser", "json", "--state-dir", state];
    const stderr: string[] = [];
    const start = () => startCli(args, { cwd: dir, timeoutMs: 230_000 });
    collector = start();
    let restartedAt = 0;
    await waitFor(() => existsSync(state), 30_000, "the collector to start");
    // One copytruncate every 3 s: a copy usually outlives a restart. When a slow restart lets the
    // next copytruncate overwrite a copy before it was read, those lines are really gone: reported.
    const writer = runWriter(log, TOTAL, 2, 1, "copytruncate", 9_000);
    for (let i = 0; i < KILLS; i++) {
      // Each collector is up (it saves at its first scan) before it is killed, at a random point of
      // its work: on a loaded machine a start can take longer than the kill delay, and killing a
      // collector that never read would only test how fast the machine starts a process.
      await waitFor(() => savedSince(state, restartedAt), 60_000, `collector ${i + 1} to start`);
      // And has written something since the last kill: a collector killed before it looked at the file
      // after the writer's first lines cannot know they were there, so a copy overwritten before the
      // restart is a loss nobody could report (Deno, loaded machine: lines 1-3,350, unreported).
      const before = statSync(out, { throwIfNoEntry: false })?.size ?? 0;
      await waitFor(() => (statSync(out, { throwIfNoEntry: false })?.size ?? 0) > before, 60_000, `collector ${i + 1} to write`).catch(() => {});
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
      signal(collector.child, "SIGKILL");
      stderr.push((await collector.done).stderr);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500)); // down while the writer goes on
      restartedAt = Date.now();
      collector = start();
    }
    assert.equal(await writer, 0);
    // Every line, or (lines really gone with an overwritten copy) an output that stopped growing for 5 s
    // once the last collector is up: waiting the full 90 s for lines that cannot come cost CI a minute and a half.
    await waitFor(() => savedSince(state, restartedAt), 60_000, "the last collector to start");
    let size = -1;
    let grewAt = performance.now();
    await waitFor(
      async () => {
        const now = statSync(out, { throwIfNoEntry: false })?.size ?? 0;
        if (now !== size) [size, grewAt] = [now, performance.now()];
        return (await verifyWriter([out], TOTAL)).lostCount === 0 || performance.now() - grewAt > 5000;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: "every line to be collected" },
    ).catch(() => {});
    // SIGTERM only once the last collector is up, not while it still loads.
    await waitFor(() => savedSince(state, restartedAt), 60_000, "the last collector to start");
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    stderr.push(result.stderr);
    assert.equal(result.code, 0, result.stderr);
    const delivery = await verifyWriter([out], TOTAL);
    assert.equal(delivery.foreign, 0, `no line split or merged: ${describeDelivery(delivery)}`);
    const { duplicates } = delivery;
    const missing = { length: delivery.lostCount };
    const reported = /while the collector was down|[1-9][\d,.]* (?:B|KiB|MiB|GiB) lost/.test(stderr.join("\n"));
    assert.ok(missing.length === 0 || reported, `${missing.length} lines lost and not reported: ${describeDelivery(delivery)}`);
    // At most what was written and not yet saved at each kill: `collect` runs a channel of 2 batches
    // of up to 1000 lines, plus the batch being written.
    assert.ok(duplicates <= KILLS * 3 * 1000, `${duplicates} duplicates`);
    console.log(`kill -9 x${KILLS} under copytruncate: ${TOTAL} lines, ${missing.length} lost (reported: ${reported}), ${duplicates} written twice`);
  } finally {
    // Stop the collector before removing its folders: it would otherwise still write its state there.
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      signal(collector.child, "SIGKILL");
      await collector.done;
    }
    cleanup();
  }
});
