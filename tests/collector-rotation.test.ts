/**
 * End to end, on the real file system: the `collect` CLI follows a file that another process
 * appends 30,000 numbered lines to while rename-rotating it 30 times in 6 s (10 backups kept,
 * older ones deleted). Verify: every line exactly once, none split or merged. The sizes
 * (100 rotations of 100,000 lines, and a storm of hundreds) are in collector-rotation.long.test.ts.
 */
import { test } from "node:test";
import { rotationScenario } from "./_scenario-rotation.ts";

test("rename rotation x30 under a live writer: verify finds every line exactly once, none split or merged", { timeout: 180_000 }, async () => {
  // Each app.log lives 200 ms; 10 backups are kept (2 s as app.log.N): a loaded collector that had no look at
  // a file while it was app.log still finds it as a backup.
  await rotationScenario({ total: 30_000, rotations: 30, backups: 10, ms: 6_000, catchUpMs: 60_000 });
});
