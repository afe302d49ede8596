/**
 * The state file spoiled (CI size: 5,000 lines read before, 5,000 after): corrupted and half-written here, two
 * collector starts each (Node under tsx took ~20 s a start on a loaded machine); all four kinds, with a third run
 * checking the positions are saved again, in adversarial-state.long.test.ts.
 */
import { test } from "node:test";
import { spoiledStateScenario, type Spoiler } from "./_scenario-state.ts";

for (const spoil of ["corrupted", "half-written"] satisfies Spoiler[]) {
  test(`state file ${spoil}: one line says so, the files are read from their start, verify finds nothing lost and the lines read before written twice`, { timeout: 180_000 }, async () => {
    await spoiledStateScenario(spoil, 5000, 5000, false);
  });
}
