/**
 * Pacing and bursts as logic, on a FakeClock the test advances: at every moment
 * the generator has emitted exactly the events due by then, however late its
 * wake-ups come; bursts, stats and the report's rates are exact. No real waits.
 * (tests/generator-rate.test.ts checks the same generator on the real clock.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import type { App } from "../../core/app.ts";
import { FakeClock } from "../../core/fake-clock.ts";
import { waitFor } from "../../tests/_helpers.ts";
import { rotatingFile } from "../mod.ts";
import type { GeneratorReport } from "./generator.ts";
import type { GeneratorInput } from "./schema.ts";
import { readLines, startPipelines, tempDir, type GeneratorRun } from "./_test-helpers.ts";

interface Paced {
  report: GeneratorReport;
  run: GeneratorRun;
  lines: number;
  /** `[clock time, events emitted by then]` each time the generator was asleep again. */
  checks: Array<[number, number]>;
}

/**
 * Runs one generator on a FakeClock that starts at 0. `step` undefined: time jumps from
 * one due wake-up to the next (timers on time); a number: it jumps that many ms at a
 * time and only then wakes the generator (every wake-up late). Between steps it waits
 * until the generator sleeps again.
 */
async function pace(options: GeneratorInput, step?: number): Promise<Paced> {
  const { dir, cleanup } = tempDir();
  try {
    const clock = new FakeClock();
    const path = join(dir, "g.log");
    const { app, run, done } = await startPipelines({ g: [options, rotatingFile({ path, format: "json", maxBytes: 0, backups: 0 })] }, clock);
    let ended = false;
    void done.then(() => (ended = true), () => (ended = true));
    const checks: Paced["checks"] = [];
    // While the generator runs, two sleeps are pending at rest: its own and the app's metrics second.
    const asleep = () => clock.pending >= 2 || ended;
    for (let i = 0; i < 100_000 && !ended; i++) {
      await waitFor(asleep, { timeoutMs: 30_000, intervalMs: 0, what: `the generator to sleep again at ${clock.monotonic()} ms` });
      if (ended) break;
      checks.push([clock.monotonic(), emitted(app)]);
      if (step === undefined) await clock.advanceToNext();
      else await clock.advanceLate(step);
    }
    await done;
    return { report: run.reports.get("g")!, run, lines: readLines(path).length, checks };
  } finally {
    cleanup();
  }
}

const emitted = (app: App) => app.pipelines()[0]!.plugins[0]!.counters.emitted;

/** Events due by `t` ms (0-based event k due at k / rate), capped at `total`. The epsilon absorbs float error in due times. */
const dueBy = (accrued: number, total: number) => Math.min(total, Math.floor(accrued + 1e-9) + 1);

test("on time: each wake-up emits the events due by then and no more; 5 s at 100/s spans exactly 4,990 ms at exactly 100/s", async () => {
  const { report, lines, checks, run } = await pace({ rate: 100, duration: 5, seed: 1 });
  assert.equal(report.emitted, 500);
  assert.equal(lines, 500);
  assert.ok(checks.length >= 499, `${checks.length} wake-ups`);
  for (const [t, n] of checks) assert.equal(n, dueBy(t / 10, 500), `at ${t} ms`);
  assert.equal(report.elapsedMs, 4990);
  assert.equal(report.rate, 100);
  // Stats once a second of the clock: the first counts event 0 too.
  const stats = run.events.filter((e) => e.name === "generator:stats");
  assert.deepEqual(stats.map((s) => s.at), [1000, 2000, 3000, 4000]);
  assert.deepEqual(stats.map((s) => (s.payload as { rate: number }).rate), [101, 100, 100, 100]);
});

test("late wake-ups (every one 37 ms or 250 ms late) are caught up at once and never drift: the count due at each moment, exactly", async () => {
  for (const [rate, step] of [[1000, 37], [10_000, 250]] as const) {
    const { report, lines, checks, run } = await pace({ rate, duration: 5, seed: 2 }, step);
    const total = rate * 5;
    assert.equal(report.emitted, total);
    assert.equal(lines, total);
    assert.ok(checks.length >= 5000 / step, `${rate}/s: ${checks.length} steps`);
    for (const [t, n] of checks) assert.equal(n, dueBy((t * rate) / 1000, total), `${rate}/s at ${t} ms`);
    // The last event (due at 5000 - 1000 / rate) is emitted at the first step at or after it.
    const lastWake = Math.ceil((5000 - 1000 / rate) / step) * step;
    assert.equal(report.elapsedMs, lastWake);
    // Stats at the first wake-up a second or more after the previous stats.
    const statsDue: number[] = [];
    for (let t = Math.ceil(1000 / step) * step; t <= lastWake; t = Math.ceil((t + 1000) / step) * step) statsDue.push(t);
    assert.deepEqual(run.events.filter((e) => e.name === "generator:stats").map((e) => e.at), statsDue, `${rate}/s: stats`);
  }
});

test("bursts start and end at their planned times on the clock, at the planned multiplier", async () => {
  const options: GeneratorInput = { rate: 200, duration: 5, seed: 4, burst: { multiplier: 5, duration: 1, every: 2 } };
  const { report, lines, checks, run } = await pace(options);
  // 200/s, and 1000/s in the windows [2 s, 3 s) and [4 s, 5 s).
  const accrued = (t: number) => 0.2 * Math.min(t, 2000) + Math.min(Math.max(t - 2000, 0), 1000) + 0.2 * Math.min(Math.max(t - 3000, 0), 1000) + Math.min(Math.max(t - 4000, 0), 1000);
  assert.equal(report.emitted, 2600);
  assert.equal(lines, 2600);
  for (const [t, n] of checks) assert.equal(n, dueBy(accrued(t), 2600), `at ${t} ms`);
  const at = (name: string) => run.events.filter((e) => e.name === name).map((e) => e.at);
  assert.deepEqual(at("generator:burst-started"), [2000, 4000]);
  // The second window is still open when the run ends, with its last event (due at 4999 ms).
  assert.deepEqual(at("generator:burst-ended"), [3000, 4999]);
  const started = run.events.filter((e) => e.name === "generator:burst-started").map((e) => e.payload);
  assert.deepEqual(started, [1, 2].map(() => ({ pipeline: "g", plugin: "g.generator", multiplier: 5, durationMs: 1000 })));
  assert.deepEqual([report.bursts.count, report.bursts.events, report.bursts.ms], [2, 2000, 1999]);
  assert.deepEqual([report.base.events, report.base.ms, report.base.rate], [600, 3000, 200]);
  assert.ok(Math.abs(report.bursts.rate / 1000 - 1) < 0.001, `inside bursts ${report.bursts.rate}/s`);
});
