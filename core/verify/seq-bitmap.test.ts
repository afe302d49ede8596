import assert from "node:assert/strict";
import { test } from "node:test";
import { appendToRanges, forEachRange, formatRanges, parseRanges, SeqBitmap, type SeqRange } from "./seq-bitmap.ts";

test("a bitmap says whether a seq was added before, across chunks, and allocates only the chunks used", () => {
  const bits = new SeqBitmap();
  assert.equal(bits.add(0), false);
  assert.equal(bits.add(0), true);
  assert.equal(bits.add(1_048_575), false);
  assert.equal(bits.add(1_048_576), false, "the first seq of the next chunk");
  assert.equal(bits.has(1_048_576), true);
  assert.equal(bits.has(1_048_577), false);
  assert.equal(bits.add(9_000_000_000), false, "a huge seq costs one chunk");
  assert.equal(bits.bytes, 3 * 131_072);
  const seen: number[] = [];
  bits.forEach((seq) => seen.push(seq));
  assert.deepEqual(seen, [0, 1_048_575, 1_048_576, 9_000_000_000]);
});

test("ranges: runs of members, written and read back compactly", () => {
  const member = new Set([1, 2, 3, 7, 10, 11]);
  const runs: SeqRange[] = [];
  forEachRange(1, 11, (s) => member.has(s), (r) => runs.push(r));
  assert.equal(formatRanges(runs), "1-3, 7, 10-11");
  assert.deepEqual(parseRanges("1-3, 7, 10-11"), runs);
  assert.deepEqual(parseRanges(""), []);
  assert.equal(parseRanges("3-1"), undefined);
  assert.equal(parseRanges("a"), undefined);
  const appended: SeqRange[] = [];
  for (const s of [4, 5, 6, 9, 12, 13]) appendToRanges(appended, s);
  assert.equal(formatRanges(appended), "4-6, 9, 12-13");
});
