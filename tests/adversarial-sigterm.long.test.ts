/** SIGTERM with a batch in flight: 20 stops while reading a 2,000,000-line backlog; nothing lost, nothing twice. */
import { test } from "node:test";
import { collectorRuntime } from "./_scenario-runtime.ts";
import { sigtermScenario } from "./_scenario-sigterm.ts";

test("SIGTERM 20 times with a batch in flight over 2,000,000 lines: nothing lost, nothing written twice", { timeout: 1_500_000 }, async () => {
  const { stopsMidRead, seconds } = await sigtermScenario(2_000_000, 20);
  console.error(`sigterm (long): ${JSON.stringify({ runtime: collectorRuntime(), lines: 2_000_000, stops: 20, stopsMidRead, lost: 0, duplicates: 0, bound: 0, seconds: Math.round(seconds) })}`);
});
