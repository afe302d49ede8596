/**
 * Real-time pacing: 100, 1,000 and 10,000 events/s for 5 s each, plus a
 * bursty generator, all in one app at once (so the test takes ~5 s, not 20).
 * The achieved rate is the generator's own measure on the monotonic clock.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { rotatingFile } from "../plugins/mod.ts";
import { readLines, runPipelines, tempDir } from "../plugins/generator/_test-helpers.ts";

test("achieved rate within 2% at 100, 1,000 and 10,000 events/s over 5 s; bursts at the planned times with the planned multiplier", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const sink = (name: string) => rotatingFile({ path: join(dir, `${name}.log`), format: "json", maxBytes: 0, backups: 0 });
    const t0 = performance.now();
    const run = await runPipelines({
      r100: [{ rate: 100, duration: 5, seed: 1 }, sink("r100")],
      r1000: [{ rate: 1000, duration: 5, seed: 2 }, sink("r1000")],
      r10000: [{ rate: 10_000, duration: 5, seed: 3 }, sink("r10000")],
      burst: [{ rate: 200, duration: 5, seed: 4, burst: { multiplier: 5, duration: 1, every: 2 } }, sink("burst")],
    });
    for (const [name, rate] of [["r100", 100], ["r1000", 1000], ["r10000", 10_000]] as const) {
      const report = run.reports.get(name)!;
      // Planned duration: exactly rate x 5 events, written and counted.
      assert.equal(report.emitted, rate * 5, name);
      assert.equal(readLines(join(dir, `${name}.log`)).length, rate * 5, name);
      assert.ok(Math.abs(report.rate / rate - 1) < 0.02, `${name}: achieved ${report.rate.toFixed(1)}/s over ${report.elapsedMs.toFixed(0)} ms`);
      assert.ok(report.elapsedMs > 4900 && report.elapsedMs < 5200, `${name}: ${report.elapsedMs} ms`);
    }

    // Bursts every 2 s for 1 s at 5x: windows [2 s, 3 s) and [4 s, 5 s).
    const burst = run.reports.get("burst")!;
    assert.equal(burst.emitted, 200 * 5 + 2 * 800);
    assert.equal(burst.bursts.count, 2);
    assert.equal(burst.bursts.events, 2 * 1000);
    assert.ok(Math.abs(burst.bursts.rate / 1000 - 1) < 0.05, `inside bursts ${burst.bursts.rate.toFixed(1)}/s`);
    assert.ok(Math.abs(burst.base.rate / 200 - 1) < 0.05, `outside bursts ${burst.base.rate.toFixed(1)}/s`);
    const started = run.events.filter((e) => e.name === "generator:burst-started" && (e.payload as { pipeline: string }).pipeline === "burst");
    const ended = run.events.filter((e) => e.name === "generator:burst-ended" && (e.payload as { pipeline: string }).pipeline === "burst");
    assert.equal(started.length, 2);
    assert.equal(ended.length, 2);
    assert.deepEqual(started.map((e) => e.payload), [1, 2].map(() => ({ pipeline: "burst", plugin: "burst.generator", multiplier: 5, durationMs: 1000 })));
    // Announced when due on the monotonic clock (generous bounds: a loaded 2-core machine).
    started.forEach((e, i) => assert.ok(Math.abs(e.at - t0 - (2000 + i * 2000)) < 250, `burst ${i + 1} started at ${(e.at - t0).toFixed(0)} ms`));
    const stats = run.events.filter((e) => e.name === "generator:stats" && (e.payload as { pipeline: string }).pipeline === "r1000");
    assert.ok(stats.length >= 3 && stats.length <= 6, `about one stats event a second, got ${stats.length}`);
  } finally {
    cleanup();
  }
});
