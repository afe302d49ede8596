/**
 * A file deleted and created again with the same first bytes (CI size: 3 generations), while the
 * collector is stopped and under a running one. See tests/_scenario-inode-reuse.ts.
 */
import { test } from "node:test";
import { assertInodeReuse, inodeReuseScenario } from "./_scenario-inode-reuse.ts";

test("a file replaced by one with the same first bytes under a running collector: verify finds nothing lost, nothing twice", { timeout: 180_000 }, async () => {
  assertInodeReuse(await inodeReuseScenario({ generations: 3, linesPerGeneration: 1000, live: true }), 3);
});

/**
 * Fails today (bug reported, in core/plugins tail, not the suite's to fix): at start the collector takes the new
 * file for the old one (same path and fingerprint; the inode reused or not) and goes on from the saved offset, so
 * the new file's lines before that offset are lost and counted nowhere ("0 B lost"): 2,967 of 6,000 here.
 */
const REPLACED_WHILE_DOWN = "tail: a file replaced while the collector was down by one with the same first 1,024 bytes is read from the old saved offset; the lines before it are lost silently";

test("a file replaced by one with the same first bytes while the collector is stopped: verify finds nothing lost, nothing twice", { timeout: 180_000, todo: REPLACED_WHILE_DOWN }, async () => {
  assertInodeReuse(await inodeReuseScenario({ generations: 3, linesPerGeneration: 1000, live: false }), 3);
});
