import assert from "node:assert/strict";
import { test } from "node:test";
import { expandBlock, LineBlockBuilder } from "../line-block.ts";
import { LineSplitter } from "../line-splitter.ts";
import type { Entry } from "../types.ts";
import { packEntries, transfers, unpackEntries } from "./wire.ts";

test("a packed batch unpacks to the same entries: texts (any script, empty), origins with their key order, flags, envelopes, records", () => {
  const entries: Entry[] = [
    { kind: "line", text: '{"msg":"héllo ✓ 𝄞"}', origin: { file: "/a.log", offset: 0 }, fileTime: 1700000000000 },
    { kind: "line", text: "", origin: { file: "/a.log", offset: 25 } },
    { time: 5, level: "WARN", message: "a record", fields: { n: 1 } },
    { kind: "line", text: "plain line", origin: { source: "s", file: "/b.log", offset: 7, parser: "x" }, partial: true },
    { kind: "line", text: "cut", origin: { offset: 3, file: "/a.log" }, truncated: true, envelope: { time: 9, fields: { stream: "stderr" } } },
    { kind: "line", text: "no origin" },
  ];
  const packed = packEntries(entries);
  assert.equal(packed.origins.length, 3, "origins that differ only in offset share a template");
  const back = unpackEntries(structuredClone(packed, { transfer: transfers(packed) }));
  assert.deepEqual(back, entries);
  // The JSON of an origin (the collected entry's) keeps the key order it was made with.
  assert.deepEqual(back.map((e) => JSON.stringify((e as { origin?: unknown }).origin)), entries.map((e) => JSON.stringify((e as { origin?: unknown }).origin)));
});

test("blocks cross with their buffer transferred and unpack, after the entries, to the lines they hold", () => {
  const builder = new LineBlockBuilder();
  new LineSplitter(10, 1024).pushBlock(new TextEncoder().encode("first ✓\nsecond\r\n"), builder);
  const block = builder.finish({ file: "/a.log" }, 1700000000000)!;
  const expected: Entry[] = [{ kind: "line", text: "entry" }];
  expandBlock(block, expected);
  const packed = packEntries([{ kind: "line", text: "entry" }], [block]);
  const back = unpackEntries(structuredClone(packed, { transfer: transfers(packed) }));
  assert.deepEqual(back, expected);
  assert.deepEqual(back.slice(1).map((e) => e.kind === "line" && [e.text, e.origin?.offset]), [["first ✓", 10], ["second", 20]]);
  assert.equal(block.bytes.byteLength, 0, "the sender's block was transferred, not copied");
});
