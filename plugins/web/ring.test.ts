import assert from "node:assert/strict";
import { test } from "node:test";
import { Ring } from "./ring.ts";
import { rec } from "./_testing.ts";

const all = () => true;

test("the ring keeps the newest `capacity` records and counts what a late reader lost", () => {
  const ring = new Ring(10);
  ring.push("p", Array.from({ length: 25 }, (_, i) => rec(`r${i}`)));
  assert.equal(ring.total, 25);
  assert.equal(ring.oldest, 16);
  const read = ring.read(1, all, 100);
  assert.deepEqual(read.entries.map((e) => e.record.message), Array.from({ length: 10 }, (_, i) => `r${15 + i}`));
  assert.equal(read.lost, 15);
});

test("the ring is also bounded by text size: a run of 1 MiB lines evicts the oldest early", () => {
  const ring = new Ring(10_000, 4 * 1024 * 1024);
  const big = "x".repeat(1024 * 1024);
  for (let i = 0; i < 100; i++) ring.push("p", [{ ...rec(`big ${i}`), raw: big }]);
  const held = ring.total - ring.oldest + 1;
  assert.ok(held <= 4, `${held} one-MiB records held under a 4 MiB budget`);
  const read = ring.read(1, all, 100);
  assert.equal(read.entries.at(-1)!.record.message, "big 99", "the newest is kept");
  assert.equal(read.lost, 100 - held, "what was evicted is counted as lost");
  ring.push("p", Array.from({ length: 5000 }, (_, i) => rec(`small ${i}`)));
  assert.equal(ring.read(ring.total - 4999, all, 10_000).entries.length, 5000, "small records fill the ring again");
});

test("scan visits the records held, newest first, and stops at its time budget", () => {
  const ring = new Ring(5);
  ring.push("p", Array.from({ length: 8 }, (_, i) => rec(`r${i}`)));
  const seen: string[] = [];
  assert.deepEqual(ring.scan((e) => seen.push(e.record.message)), { scanned: 5, partial: false });
  assert.deepEqual(seen, ["r7", "r6", "r5", "r4", "r3"]);
  let t = 0;
  const clock = () => (t += 10); // each read of the clock advances 10 ms: the budget allows a few records
  const partial = ring.scan(() => {}, 25, clock);
  assert.equal(partial.partial, true);
  assert.ok(partial.scanned < 5);
});
