/** kill -9 of the collector (CI size): ~3 kills during 30,000 lines, driven by chaos; nothing lost, duplicates bounded. */
import { test } from "node:test";
import { killFigures, killScenario } from "./_scenario-kill.ts";

test("kill -9 of the collector ~3 times during 30,000 lines: verify finds nothing lost, duplicates within the batches in flight", { timeout: 300_000 }, async () => {
  const run = await killScenario({ count: 30_000, rate: 4000, killsPerMinute: 30, minKills: 1, seed: 3 });
  console.error(`kill -9 (CI): ${JSON.stringify(killFigures(run))}`);
});
