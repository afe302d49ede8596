/** The state file spoiled after 500,000 lines were read, 500,000 more appended: nothing lost, exactly the 500,000 read before written twice. */
import { test } from "node:test";
import { collectorRuntime } from "./_scenario-runtime.ts";
import { SPOILERS, spoiledStateScenario, type Spoiler } from "./_scenario-state.ts";

for (const spoil of Object.keys(SPOILERS) as Spoiler[]) {
  test(`state file ${spoil} after 500,000 lines: nothing lost, the lines read before written twice`, { timeout: 900_000 }, async () => {
    const { duplicates } = await spoiledStateScenario(spoil, 500_000, 500_000);
    console.error(`state ${spoil}: ${JSON.stringify({ runtime: collectorRuntime(), lines: 1_000_000, lost: 0, duplicates, bound: 500_000 })}`);
  });
}
