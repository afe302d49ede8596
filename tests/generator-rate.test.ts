/**
 * Real-time pacing on the system clock: 100, 1,000 and 10,000 events/s for 5 s
 * each, plus a bursty generator, all at once (so the test takes ~5 s, not 20).
 * Everything is measured on the clock the generator used, never the test's: the
 * records' own timestamps and the generator's clock readings. On a loaded machine
 * timers fire late and the generator falls behind; it must not drift (each wake-up
 * targets a planned time, never "an interval after the last one") nor run ahead,
 * and these checks hold however loaded the machine is.
 * The exact schedule under on-time and late timers is checked on a fake clock in
 * plugins/generator/pacing.test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { systemClock, type Clock } from "../core/clock.ts";
import { rotatingFile } from "../plugins/mod.ts";
import type { GeneratorInput } from "../plugins/generator/schema.ts";
import { readLines, startPipelines, tempDir, type GeneratorRun } from "../plugins/generator/_test-helpers.ts";

/**
 * The system clock, with wall time on the monotonic timeline (so a record's timestamp and
 * a clock reading compare), recording where each pacing sleep (at most `maxPacingMs`)
 * was meant to end: the last reading plus the delay asked for.
 */
function recordingClock(maxPacingMs: number): { clock: Clock; origin: number; targets: number[] } {
  const origin = Math.floor(systemClock.now() - systemClock.monotonic());
  const targets: number[] = [];
  let last = 0;
  const clock: Clock = {
    now: () => origin + systemClock.monotonic(),
    monotonic: () => (last = systemClock.monotonic()),
    sleep(ms, signal) {
      if (ms <= maxPacingMs) targets.push(last + ms);
      return systemClock.sleep(ms, signal);
    },
  };
  return { clock, origin, targets };
}

interface RealRun {
  run: GeneratorRun;
  /** The records' timestamps, on the clock's timeline (ms since its origin). */
  times: number[];
  /** Where each pacing sleep was meant to end, on the clock's timeline. */
  targets: number[];
}

/** One generator in its own app on its own recording clock, writing JSON lines. */
async function start(name: string, options: GeneratorInput & { rate: number }, dir: string): Promise<Promise<RealRun>> {
  const { clock, origin, targets } = recordingClock(1000 / options.rate);
  const path = join(dir, `${name}.log`);
  const { done } = await startPipelines({ [name]: [options, rotatingFile({ path, format: "json", maxBytes: 0, backups: 0 })] }, clock);
  return done.then((run) => ({ run, targets, times: readLines(path).map((line) => Date.parse(JSON.parse(line).timestamp) - origin) }));
}

/** Whether `x` is a whole number, to float precision. */
const whole = (x: number) => Math.abs(x - Math.round(x)) < 1e-3;

test("on the real clock: 100, 1,000 and 10,000 events/s over 5 s, paced on the planned grid and never ahead; timestamps at the rate within 0.1%; bursts at 5x, never early", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const rates = [100, 1000, 10_000] as const;
    const runs = await Promise.all([
      ...rates.map((rate, i) => start(`r${rate}`, { rate, duration: 5, seed: i + 1 }, dir)),
      start("burst", { rate: 200, duration: 5, seed: 4, burst: { multiplier: 5, duration: 1, every: 2 } }, dir),
    ]);
    const [r100, r1000, r10000, burst] = await Promise.all(runs);

    for (const [rate, { run, times, targets }] of [[100, r100!], [1000, r1000!], [10_000, r10000!]] as const) {
      const name = `r${rate}`;
      const report = run.reports.get(name)!;
      const total = rate * 5;
      assert.equal(report.emitted, total, name);
      assert.equal(times.length, total, `${name}: lines written`);
      // The records' timestamps are their planned times: k / rate after the first (to the ms).
      const span = times.at(-1)! - times[0]!;
      assert.ok(Math.abs(((total - 1) * 1000) / span / rate - 1) < 0.001, `${name}: timestamps span ${span} ms`);
      // Every wake-up the generator asked for is on its grid of due times, however late the previous one came:
      // no drift. (Relative sleeps, "one interval after waking", fall off the grid by each wake-up's lateness.)
      // (A generator starved of CPU is behind all along and need not sleep at all: at 10 ms apart, 100/s always does.)
      if (rate === 100) assert.ok(targets.length >= 1, `${name}: ${targets.length} pacing sleeps`);
      for (const t of targets) assert.ok(whole(((t - targets[0]!) * rate) / 1000), `${name}: a wake-up at ${(t - targets[0]!).toFixed(4)} ms is off the ${1000 / rate} ms grid`);
      // On the generator's own clock, never faster than asked. (How far behind a loaded machine leaves it is the
      // machine's doing; that the generator then catches up at once is checked on the fake clock.)
      assert.ok(report.rate <= rate * 1.001, `${name}: achieved ${report.rate.toFixed(2)}/s over ${report.elapsedMs.toFixed(0)} ms, faster than asked`);
    }

    // Bursts every 2 s for 1 s at 5x: windows [2 s, 3 s) and [4 s, 5 s), seen in the records' timestamps.
    const report = burst!.run.reports.get("burst")!;
    assert.equal(report.emitted, 200 * 5 + 2 * 800);
    assert.deepEqual([report.bursts.count, report.bursts.events], [2, 2000]);
    const t0 = burst!.times[0]!;
    const per500 = Array.from({ length: 10 }, (_, i) => burst!.times.filter((t) => t - t0 >= i * 500 && t - t0 < (i + 1) * 500).length);
    assert.deepEqual(per500, [100, 100, 100, 100, 500, 500, 100, 100, 500, 500]);
    // Announced on the generator's clock when due: never before the window (the first record is stamped at the start, to the ms).
    const started = burst!.run.events.filter((e) => e.name === "generator:burst-started");
    assert.deepEqual(started.map((e) => e.payload), [1, 2].map(() => ({ pipeline: "burst", plugin: "burst.generator", multiplier: 5, durationMs: 1000 })));
    started.forEach((e, i) => {
      const late = e.at - (t0 + 2000 + i * 2000);
      assert.ok(late >= 0, `burst ${i + 1} announced ${(-late).toFixed(1)} ms before its start`);
    });
  } finally {
    cleanup();
  }
});
