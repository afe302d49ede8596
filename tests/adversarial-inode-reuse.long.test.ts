/** A file replaced 20 times by one with the same first bytes under a running collector (generations of 2,000 to 40,000 lines). */
import { test } from "node:test";
import { assertInodeReuse, inodeReuseScenario } from "./_scenario-inode-reuse.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("a file replaced 20 times by one with the same first bytes under a running collector: nothing lost, nothing twice", { timeout: 900_000 }, async () => {
  const r = await inodeReuseScenario({ generations: 20, linesPerGeneration: 2000, live: true });
  assertInodeReuse(r, 20);
  console.error(`inode reuse (long): ${JSON.stringify({ runtime: collectorRuntime(), lines: r.delivery.delivered, replacements: 19, sameInode: r.sameInode, lost: r.delivery.lostCount, duplicates: r.delivery.duplicates })}`);
});

test("a file replaced 10 times by one with the same first bytes while the collector is stopped: nothing lost, nothing twice", { timeout: 900_000 }, async () => {
  const r = await inodeReuseScenario({ generations: 10, linesPerGeneration: 2000, live: false });
  assertInodeReuse(r, 10);
  console.error(`inode reuse while stopped (long): ${JSON.stringify({ runtime: collectorRuntime(), lines: r.delivery.delivered, replacements: 9, sameInode: r.sameInode, lost: r.delivery.lostCount, duplicates: r.delivery.duplicates })}`);
});
