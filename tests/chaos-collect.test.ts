/**
 * `logsim chaos` against logsim's own collector, on the runtime running the test: rename
 * rotation, copytruncate, gzip of rotated files and slow writes for a few seconds, once
 * without and once with kill -9 and restart of the collector. Every line must be delivered
 * (lines the driver itself put at risk excused); duplicates only after a kill, within the
 * bound docs/collector.md states: the batches in flight, (channel capacity 2 + 1) x 1,000 lines per kill.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chaosAgainstCollect } from "./_chaos-run.ts";
import { tempDir } from "./_helpers.ts";

const MIX = "rotate=4,copytruncate=2,gzip=1,slow-write=3";
const IN_FLIGHT_PER_KILL = (2 + 1) * 1000;

test("chaos without kills: rotation, copytruncate, gzip and slow writes lose nothing and duplicate nothing", { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-chaos-");
  try {
    const run = await chaosAgainstCollect(dir, ["--rate", "1500", "--duration", "3s", "--events", MIX, "--every", "200ms", "--generations", "100", "--seed", "21", "--settle", "2s", "--max-pause", "300ms", "--quiet"], { timeoutMs: 90_000, catchUpMs: 30_000 });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const kinds = new Set(run.report.chaos.log.map((e) => e.kind));
    for (const k of ["rotate", "copytruncate", "gzip", "slow-write"]) assert.ok(kinds.has(k as never), `the seeded plan has a ${k}`);
    assert.equal(run.report.emitted, 4500);
    assert.deepEqual(run.delivery.lost, [], `lost (caught up afterwards: ${run.caughtUp}); events: ${run.stderr.slice(-2000)}`);
    assert.equal(run.delivery.excused, 0, "a collector that holds rotated files open loses nothing to gzip");
    assert.equal(run.delivery.duplicates, 0);
    assert.equal(run.delivery.foreign, 0);
  } finally {
    cleanup();
  }
});

test("chaos with kill -9 and restart of the collector: nothing lost that the driver did not put at risk; duplicates within the batches in flight", { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-chaos-kill-");
  try {
    const run = await chaosAgainstCollect(dir, ["--rate", "1500", "--duration", "4s", "--events", `${MIX},kill=40/min`, "--every", "250ms", "--min-up", "700ms", "--generations", "100", "--seed", "7", "--hold", "300ms", "--settle", "2s", "--max-pause", "300ms", "--quiet"], { timeoutMs: 120_000, catchUpMs: 40_000 });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    // The plan kills at seqs 1192 and 4300, 2 s apart; a kill is skipped only if the collector is still down
    // or younger than --min-up, which a driver stalled for a second on a loaded machine may see.
    assert.ok(run.kills >= 1, `the seeded plan kills the collector (${run.kills} times)`);
    assert.ok(run.report.chaos.log.some((e) => e.kind === "restart"));
    assert.deepEqual(run.delivery.lost, [], `lost (caught up afterwards: ${run.caughtUp}); events: ${run.stderr.slice(-3000)}`);
    assert.ok(run.delivery.duplicates <= run.kills * IN_FLIGHT_PER_KILL, `${run.delivery.duplicates} duplicates for ${run.kills} kills`);
    assert.equal(run.delivery.foreign, 0);
  } finally {
    cleanup();
  }
});
