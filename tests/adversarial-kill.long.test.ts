/** kill -9 of the collector 50 times during a 1,000,000-line run, driven by chaos (the size). Figures to stderr for docs/collector.md. */
import { test } from "node:test";
import { killFigures, killScenario } from "./_scenario-kill.ts";

test("kill -9 of the collector 50 times during 1,000,000 lines: verify finds nothing lost, duplicates within the batches in flight", { timeout: 1_500_000 }, async () => {
  // 1,000,000 lines at 5,000/s: 200 s, a kill planned every 3.3 s on average (60: some are skipped while a collector is still starting, --min-up).
  const run = await killScenario({ count: 1_000_000, rate: 5000, killsPerMinute: 18, minKills: 40, seed: 50 });
  console.error(`kill -9 (long): ${JSON.stringify(killFigures(run))}`);
});
