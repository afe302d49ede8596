/**
 * A sink 100x slower than the source during a burst (CI size: 5,000 lines at once, a sink of 1,000
 * lines/s): nothing dropped in block mode, memory bounded. 500,000 lines in the .long file.
 * The bound: Bun runs the sources as the installed CLI does (docs/collector.md: 105-109 MiB peaks);
 * Node and Deno run them through tsx or their own loader here, which adds ~130 MiB.
 */
import { test } from "node:test";
import { currentRuntime } from "./_scenario-runtime.ts";
import { slowSinkScenario } from "./_scenario-slow-sink.ts";

const PEAK_CAP_MIB = currentRuntime() === "bun" ? 200 : 350;

test("a sink 100x slower than a burst of 5,000 lines: block mode drops nothing, memory bounded", { timeout: 180_000 }, async () => {
  await slowSinkScenario({ burst: 5000, sinkRate: 1000, peakCapMiB: PEAK_CAP_MIB });
});
