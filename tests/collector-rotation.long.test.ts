/**
 * The rotation scenario at the sizes: 100 rename rotations of 100,000 lines in 20 s, and a
 * rotation storm, 500 renames in 10 s (one every 20 ms: faster than a loaded collector reads), with
 * as many backups as rotations so that any loss is the collector's. Figures go to stderr.
 */
import { test } from "node:test";
import { rotationScenario } from "./_scenario-rotation.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("rename rotation x100, 100,000 lines: every line exactly once", { timeout: 600_000 }, async () => {
  const d = await rotationScenario({ total: 100_000, rotations: 100, backups: 10, ms: 20_000, catchUpMs: 180_000 });
  console.error(`rotation x100: ${JSON.stringify({ runtime: collectorRuntime(), lines: 100_000, rotations: 100, lost: d.lostCount, duplicates: d.duplicates, seconds: Math.round(d.seconds) })}`);
});

test("rotation storm: 500 renames in 10 s, rotation faster than reading: every line exactly once", { timeout: 600_000 }, async () => {
  const d = await rotationScenario({ total: 100_000, rotations: 500, backups: 500, ms: 10_000, catchUpMs: 240_000 });
  console.error(`rotation storm x500: ${JSON.stringify({ runtime: collectorRuntime(), lines: 100_000, rotations: 500, lost: d.lostCount, duplicates: d.duplicates, seconds: Math.round(d.seconds) })}`);
});
