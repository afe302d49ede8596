/** The state file corrupted, emptied, half-written or of the wrong shape (CI size: 5,000 lines read before, 5,000 after). */
import { test } from "node:test";
import { SPOILERS, spoiledStateScenario, type Spoiler } from "./_scenario-state.ts";

for (const spoil of Object.keys(SPOILERS) as Spoiler[]) {
  test(`state file ${spoil}: one line says so, the files are read from their start, verify finds nothing lost and the lines read before written twice`, { timeout: 120_000 }, async () => {
    await spoiledStateScenario(spoil, 5000, 5000);
  });
}
