/** A sink 100x slower than a burst of 500,000 lines (a sink of 10,000 lines/s): nothing dropped, memory within the CI bound. */
import { test } from "node:test";
import { collectorRuntime, currentRuntime } from "./_scenario-runtime.ts";
import { slowSinkScenario } from "./_scenario-slow-sink.ts";

const PEAK_CAP_MIB = currentRuntime() === "bun" ? 200 : 350;

test("a sink 100x slower than a burst of 500,000 lines: block mode drops nothing, memory bounded", { timeout: 900_000 }, async () => {
  const r = await slowSinkScenario({ burst: 500_000, sinkRate: 10_000, peakCapMiB: PEAK_CAP_MIB });
  console.error(`slow sink (long): ${JSON.stringify({ runtime: collectorRuntime(), lines: 500_000, sinkLinesPerSecond: 10_000, lost: 0, duplicates: 0, peakMiB: Math.round(r.peakMiB), boundMiB: PEAK_CAP_MIB, seconds: Math.round(r.seconds) })}`);
});
