import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { propertyParameters } from "../tests/_property.ts";
import { LineSplitter, type SplitLine } from "./line-splitter.ts";

const enc = new TextEncoder();

/** What splitting `bytes` whole must give: the model the chunked splitter is compared with. */
function model(bytes: Uint8Array, max: number): SplitLine[] {
  const out: SplitLine[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 10) continue;
    const body = bytes.subarray(start, Math.min(i, start + max));
    let text = new TextDecoder().decode(body);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    out.push({ text, offset: start, end: i + 1, truncated: i - start > max, partial: false });
    start = i + 1;
  }
  return out;
}

function feed(bytes: Uint8Array, cuts: number[], max: number): { lines: SplitLine[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(0, max);
  const lines: SplitLine[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    splitter.push(bytes.subarray(at, cut), lines);
    at = cut;
  }
  return { lines, splitter };
}

test("splits on newlines and keeps byte offsets with multi-byte text", () => {
  const bytes = enc.encode("héllo\nwörld €\r\nlast");
  const { lines, splitter } = feed(bytes, [1, 2, 3, 9], 100);
  assert.deepEqual(lines.map((l) => [l.text, l.offset, l.end]), [["héllo", 0, 7], ["wörld €", 7, 19]]);
  assert.equal(splitter.position, 19);
  assert.equal(splitter.pendingBytes, 4);
  const rest: SplitLine[] = [];
  splitter.flush(rest);
  assert.deepEqual(rest, [{ text: "last", offset: 19, end: 23, truncated: false, partial: true }]);
});

test("a line past the limit is truncated and flagged, the next line is intact", () => {
  const bytes = enc.encode(`${"x".repeat(50)}\nshort\n`);
  const { lines } = feed(bytes, [7, 30, 51], 10);
  assert.deepEqual(lines.map((l) => [l.text, l.truncated, l.offset, l.end]), [["x".repeat(10), true, 0, 51], ["short", false, 51, 57]]);
});

test("property: any chunking gives the same lines as splitting the whole input", () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("\n", "\r\n", "€", "é", "\uFFFD"),
    fc.constant("y".repeat(40)),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat({ max: 600 }), { maxLength: 40 }), fc.integer({ min: 1, max: 32 }), (pieces, cuts, max) => {
      const bytes = enc.encode(pieces.join(""));
      const { lines, splitter } = feed(bytes, cuts, max);
      assert.deepEqual(lines, model(bytes, max));
      const lastNewline = bytes.lastIndexOf(10);
      assert.equal(splitter.position, lastNewline + 1);
      assert.equal(splitter.next, bytes.length);
    }),
    propertyParameters(2000),
  );
});

test("property: invalid UTF-8 never shifts offsets", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat({ max: 300 }), { maxLength: 20 }), (raw, cuts) => {
      const { lines } = feed(raw, cuts, 64);
      assert.deepEqual(lines, model(raw, 64));
    }),
    propertyParameters(1000),
  );
});

test("memory is bounded by the limit, not by the line", () => {
  const splitter = new LineSplitter(0, 1024);
  const chunk = new Uint8Array(65536).fill(97);
  const out: SplitLine[] = [];
  for (let i = 0; i < 160; i++) splitter.push(chunk, out); // 10 MiB without a newline
  assert.equal(out.length, 0);
  assert.equal(splitter.pendingBytes, 160 * 65536);
  splitter.push(enc.encode("\nnext\n"), out);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.text.length, 1024);
  assert.equal(out[0]!.truncated, true);
  assert.equal(out[1]!.offset, 160 * 65536 + 1);
});
