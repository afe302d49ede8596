import assert from "node:assert/strict";
import { test } from "node:test";
import type { Expectation } from "./expectation.ts";
import { Tally } from "./tally.ts";

const line = (seq: number, generator = "gen") => `{"generator":"${generator}","seq":${seq}}`;
const expect1 = (last: number, extra: Partial<Expectation["generators"][0]> = {}): Expectation => ({ source: "test", generators: [{ id: "gen", first: 1, last, ...extra }] });

test("10,000 written, 5 deleted and 3 duplicated: exactly 5 lost with their ranges and 3 duplicated", () => {
  const deleted = new Set([1201, 1202, 1203, 5000, 9999]);
  const duplicated = new Set([17, 4000, 10_000]);
  const tally = new Tally(expect1(10_000));
  const file = tally.file("out.jsonl", "actual");
  for (let seq = 1; seq <= 10_000; seq++) {
    if (deleted.has(seq)) continue;
    file.line(line(seq), false, false);
    if (duplicated.has(seq)) file.line(line(seq), false, false);
  }
  const report = tally.finish();
  const gen = report.generators[0]!;
  assert.equal(gen.lost.count, 5);
  assert.deepEqual(gen.lost.ranges, [{ from: 1201, to: 1203 }, { from: 5000, to: 5000 }, { from: 9999, to: 9999 }]);
  assert.equal(gen.duplicated.extraCopies, 3);
  assert.deepEqual(gen.duplicated.ranges.map((r) => r.from), [17, 4000, 10_000]);
  assert.equal(gen.delivered, 9995);
  assert.equal(gen.outOfOrder.count, 0, "a copy right after its original is not a step back");
  assert.equal(report.totals.lost, 5);
});

test("intact output: nothing lost; a replay after a restart is duplicates and one step back per file", () => {
  const tally = new Tally(expect1(1000));
  const file = tally.file("out.jsonl", "actual");
  for (let seq = 1; seq <= 1000; seq++) file.line(line(seq), false, false);
  for (let seq = 901; seq <= 950; seq++) file.line(line(seq), false, false);
  const gen = tally.finish().generators[0]!;
  assert.equal(gen.lost.count, 0);
  assert.deepEqual(gen.duplicated, { seqs: 50, extraCopies: 50, ranges: [{ from: 901, to: 950 }], rangesTotal: 1 });
  assert.deepEqual(gen.outOfOrder, { count: 1, largestStepBack: 99 });
});

test("dead-letter files account for their seqs apart; faults explain what the generator spoiled (and the line after a missing newline)", () => {
  const faults = { truncated: [{ from: 10, to: 10 }], badUtf8: [], overlong: [{ from: 30, to: 30 }], noNewline: [{ from: 20, to: 20 }] };
  const tally = new Tally(expect1(100, { faults }));
  const out = tally.file("out.jsonl", "actual");
  for (let seq = 1; seq <= 100; seq++) if (![10, 20, 21, 30, 40, 50].includes(seq)) out.line(line(seq), false, false);
  const dead = tally.file("dead.jsonl", "deadletter");
  dead.line(JSON.stringify({ reason: "json: invalid JSON", line: line(40).slice(0, -1) }), false, false);
  const gen = tally.finish().generators[0]!;
  assert.deepEqual(gen.deadLettered, { count: 1, ranges: [{ from: 40, to: 40 }], rangesTotal: 1 });
  const reasons = { truncated: { count: 1, missing: 1 }, "no-newline": { count: 1, missing: 1 }, "after-no-newline": { count: 1, missing: 1 }, overlong: { count: 1, missing: 1 } };
  assert.deepEqual(gen.excused, { count: 4, missing: 4, reasons }, "10, 20, 21 (ran into 20) and 30");
  assert.deepEqual(gen.lost, { count: 1, ranges: [{ from: 50, to: 50 }], rangesTotal: 1 });
  assert.equal(gen.delivered, 94);
});

test("several generators are counted apart; ids not expected and seqs out of range are reported, not mixed in", () => {
  const tally = new Tally({ source: "test", generators: [{ id: "a", first: 1, last: 3 }, { id: "b", first: 1, last: 2 }] });
  const file = tally.file("out.jsonl", "actual");
  for (const l of [line(1, "a"), line(1, "b"), line(2, "a"), line(3, "a"), line(7, "b"), line(1, "stranger")]) file.line(l, false, false);
  const report = tally.finish();
  const byId = Object.fromEntries(report.generators.map((g) => [g.id, g]));
  assert.equal(byId.a!.lost.count, 0);
  assert.deepEqual(byId.b!.lost.ranges, [{ from: 2, to: 2 }]);
  assert.deepEqual(byId.b!.unexpected, { count: 1, sample: [7] });
  assert.equal(byId.stranger!.expected, undefined);
  assert.equal(byId.stranger!.delivered, 1);
});

test("a bare count expects 1..N of every id found; lines without an id count under the only expected generator", () => {
  const any = new Tally({ source: "2", generators: [], anyId: { first: 1, last: 2 } });
  const f = any.file("x", "actual");
  for (const l of [line(1, "x"), line(2, "x"), line(1, "y")]) f.line(l, false, false);
  assert.deepEqual(any.finish().generators.map((g) => [g.id, g.lost.count]), [["x", 0], ["y", 1]]);
  const empty = new Tally({ source: "5", generators: [], anyId: { first: 1, last: 5 } });
  empty.file("x", "actual").line("no seq here", false, false);
  assert.deepEqual(empty.finish().generators.map((g) => [g.id, g.lost.count]), [["gen", 5]], "an output with no record lost everything");
  const single = new Tally(expect1(2));
  const g = single.file("x", "actual");
  g.line("seq=1", false, false);
  g.line("seq=2", false, false);
  assert.equal(single.finish().generators[0]!.lost.count, 0);
});

test("files: torn lines, lines without a seq, invalid UTF-8 and steps back are counted per file", () => {
  const tally = new Tally(expect1(4));
  const f = tally.file("out", "actual");
  f.line(line(2), false, false);
  f.line(line(1), false, false);
  f.line('{"generator":"gen","seq":3,"message":"cu', false, false);
  f.line("garbage �", true, false);
  f.line("", false, false);
  f.line(line(4), false, false);
  const report = tally.finish();
  const file = report.files[0]!;
  assert.deepEqual({ ...file }, { path: "out", role: "actual", lines: 6, records: 3, torn: 1, noSeq: 1, invalidUtf8: 1, overlong: 0, outOfOrder: { count: 1, largestStepBack: 1 } });
  assert.equal(report.generators[0]!.torn, 1);
  assert.equal(report.totals.lost, 0);
});

test("lost ranges are all counted, and listed up to the limit", () => {
  const tally = new Tally(expect1(1000), { ranges: 3, samples: 5 });
  const f = tally.file("out", "actual");
  for (let seq = 1; seq <= 1000; seq += 2) f.line(line(seq), false, false);
  const gen = tally.finish().generators[0]!;
  assert.equal(gen.lost.count, 500);
  assert.equal(gen.lost.rangesTotal, 500);
  assert.deepEqual(gen.lost.ranges, [{ from: 2, to: 2 }, { from: 4, to: 4 }, { from: 6, to: 6 }]);
});

test("seqs excused with a reason (a chaos driver's) are missing but not lost; overlapping reasons count once", () => {
  const excused = [{ reason: "truncated before read", seqs: [{ from: 5, to: 8 }] }, { reason: "rotated file deleted unread", seqs: [{ from: 7, to: 9 }] }];
  const tally = new Tally(expect1(10, { excused }));
  const out = tally.file("out", "actual");
  for (const seq of [1, 2, 3, 4, 6, 10]) out.line(line(seq), false, false);
  const gen = tally.finish().generators[0]!;
  assert.equal(gen.lost.count, 0);
  assert.deepEqual(gen.excused, { count: 5, missing: 4, reasons: { "truncated before read": { count: 4, missing: 3 }, "rotated file deleted unread": { count: 1, missing: 1 } } });
});
