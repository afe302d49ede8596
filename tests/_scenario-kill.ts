/**
 * kill -9 of the collector during a run, driven by `logsim chaos --run ... --events kill=N/min`:
 * chaos writes `count` lines at `rate` (rename rotation now and then), kills the collector at
 * random moments and starts it again. Verify: nothing lost; duplicates within the batches in
 * flight per kill that docs/collector.md states ((channel capacity 2 + 1) x 1,000 lines).
 * adversarial-kill.test.ts runs ~3 kills over 30,000 lines (CI), the .long file 50 kills over 1,000,000.
 */
import assert from "node:assert/strict";
import { chaosAgainstCollect, type ChaosCollectRun } from "./_chaos-run.ts";
import { describeDelivery } from "./_delivery.ts";
import { tempDir } from "./_helpers.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

/**
 * A kill is skipped while the collector has run less than this (chaos --min-up): long enough for it
 * to be at work, not still loading. Node loads the TypeScript sources through tsx and took seconds to
 * start on a loaded 2-core machine: with 700 ms every kill hit a collector still loading and the
 * catch-up collector did all the reading (29,564 of 30,000 lines).
 */
const MIN_UP = { bun: "700ms", deno: "2s", node: "3s" } as const;

/** docs/collector.md's bound: a kill -9 writes again at most the channel's 2 batches and the one being written, of 1,000 lines. */
export const IN_FLIGHT_PER_KILL = (2 + 1) * 1000;

export interface KillScenario {
  count: number;
  rate: number;
  killsPerMinute: number;
  /** Fewest kills the run must have done (a kill is skipped while the collector is still starting). */
  minKills: number;
  seed: number;
}

export async function killScenario(s: KillScenario): Promise<ChaosCollectRun> {
  const { dir, cleanup } = tempDir("logsim-kill-");
  try {
    const seconds = s.count / s.rate;
    const flags = ["--rate", String(s.rate), "--count", String(s.count), "--events", `rotate=1,kill=${s.killsPerMinute}/min`, "--every", "2s", "--generations", "1000", "--seed", String(s.seed), "--hold", "300ms", "--min-up", MIN_UP[collectorRuntime()], "--settle", "3s", "--quiet"];
    const run = await chaosAgainstCollect(dir, flags, { timeoutMs: (seconds + 240) * 1000, catchUpMs: Math.max(60_000, seconds * 3000) });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.equal(run.report.emitted, s.count);
    assert.ok(run.kills >= s.minKills, `${run.kills} kills done (at least ${s.minKills} expected); events: ${run.stderr.slice(-2000)}`);
    assert.deepEqual(run.delivery.lost, [], `${describeDelivery(run.delivery)}; caught up afterwards: ${run.caughtUp}; events: ${run.stderr.slice(-3000)}`);
    assert.equal(run.delivery.excused, 0, "rename rotation with 1,000 generations puts nothing at risk");
    assert.ok(run.delivery.duplicates <= run.kills * IN_FLIGHT_PER_KILL, `${run.delivery.duplicates} duplicates for ${run.kills} kills`);
    // A kill may stop the sink in the middle of a line: that line is torn (its seq still counted), nothing else is foreign.
    assert.ok(run.delivery.foreign <= run.kills, `${run.delivery.foreign} torn or foreign lines for ${run.kills} kills`);
    return run;
  } finally {
    cleanup();
  }
}

/** The figures of a run, for docs/collector.md's table. */
export function killFigures(run: ChaosCollectRun): Record<string, number | string> {
  return { runtime: run.collector, lines: run.report.emitted, seconds: Math.round(run.report.chaos.elapsedMs / 1000), kills: run.kills, rotations: run.report.chaos.log.filter((e) => e.kind === "rotate").length, lost: run.delivery.lostCount, duplicates: run.delivery.duplicates, bound: run.kills * IN_FLIGHT_PER_KILL, torn: run.delivery.foreign, caughtUpAfter: run.caughtUp };
}
