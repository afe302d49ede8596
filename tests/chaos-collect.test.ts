/**
 * `logsim chaos` against logsim's own collector, on the runtime running the test: rename
 * rotation, copytruncate, gzip of rotated files and slow writes for a few seconds. Verify:
 * every line delivered (lines the driver itself put at risk excused), none twice. With kill -9
 * and restart of the collector: tests/adversarial-kill.test.ts (CI) and its .long file.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chaosAgainstCollect } from "./_chaos-run.ts";
import { tempDir } from "./_helpers.ts";

const MIX = "rotate=4,copytruncate=2,gzip=1,slow-write=3";

/** One chaos run, shared by the two tests below (the second reads what the first ran). */
const { dir, cleanup } = tempDir("logsim-chaos-");
let running: ReturnType<typeof chaosAgainstCollect> | undefined;
const chaosRun = () =>
  (running ??= chaosAgainstCollect(dir, ["--rate", "1500", "--duration", "3s", "--events", MIX, "--every", "200ms", "--generations", "100", "--seed", "21", "--settle", "2s", "--max-pause", "300ms", "--quiet"], { timeoutMs: 90_000, catchUpMs: 30_000 }));

test("chaos without kills: rotation, copytruncate, gzip and slow writes lose nothing", { timeout: 120_000 }, async () => {
  let run: Awaited<ReturnType<typeof chaosRun>>;
  try {
    run = await chaosRun();
  } finally {
    cleanup(); // What the second test reads is in memory.
  }
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  const kinds = new Set(run.report.chaos.log.map((e) => e.kind));
  for (const k of ["rotate", "copytruncate", "gzip", "slow-write"]) assert.ok(kinds.has(k as never), `the seeded plan has a ${k}`);
  assert.equal(run.report.emitted, 4500);
  assert.deepEqual(run.delivery.lost, [], `lost (caught up afterwards: ${run.caughtUp}); events: ${run.stderr.slice(-2000)}`);
  assert.equal(run.delivery.excused, 0, "a collector that holds rotated files open loses nothing to gzip");
  assert.equal(run.delivery.foreign, 0);
});

/**
 * A todo until 2026-11-30: lines written twice now and then, without a kill, under load (races in
 * plugins/tail, replayed in tailer.race.test.ts; the last, a copytruncate's copy read from 0 as well,
 * in 1 of 45 runs on Deno, 3 at a time on 2 cores). After the copytruncate fixes the tail's model
 * tests found (tailer.copies.test.ts, tailer.property.test.ts), 125 runs on Deno and 105 on Bun, 3 at
 * a time, wrote nothing twice. The message lists chaos's events, for the next failure.
 */
test("chaos without kills: nothing is written twice", { timeout: 120_000 }, async () => {
  const run = await chaosRun();
  assert.equal(run.delivery.duplicates, 0, `events: ${run.report.chaos.log.map((e) => `${e.kind} at seq ${e.seq}`).join(", ")}; ${run.stderr.slice(-1000)}`);
});
