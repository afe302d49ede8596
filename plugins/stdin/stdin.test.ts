import assert from "node:assert/strict";
import { test } from "node:test";
import type { PluginContext } from "../../core/plugin.ts";
import type { Runtime } from "../../core/runtime.ts";
import type { RawLine } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { stdin, STDIN_NAME } from "./mod.ts";

const runtime = await detectRuntime();
const bytes = (s: string) => new TextEncoder().encode(s);

/** Runs the source over `chunks` as its standard input; returns its batches. */
async function read(chunks: Uint8Array[], options: Record<string, unknown> = {}, signal = new AbortController().signal): Promise<RawLine[][]> {
  const input = (async function* () {
    for (const c of chunks) yield c;
  })();
  const ctx = { id: "pipelines.p.sources[0]", pipeline: "p", runtime: { ...runtime, readStdin: () => input } as Runtime, signal } as unknown as PluginContext;
  const source = await stdin.definition.create(stdin.definition.schema.parse(options), ctx);
  const out: RawLine[][] = [];
  for await (const batch of source.batches()) out.push(batch as RawLine[]);
  return out;
}

test("splits on newline bytes across chunks, with byte offsets, and ends at end of input", async () => {
  // "é" is two bytes: offsets count bytes. A \r\n ending loses its \r.
  const batches = await read([bytes("first\nsec"), bytes("ond é\r\nthi"), bytes("rd\nlast without newline")]);
  const lines = batches.flat();
  assert.deepEqual(lines.map((l) => [l.text, l.origin?.offset, l.origin?.file]), [
    ["first", 0, STDIN_NAME],
    ["second é", 6, STDIN_NAME],
    ["third", 17, STDIN_NAME],
    ["last without newline", 23, STDIN_NAME],
  ]);
  // The input ended: its last line is whole, not partial.
  assert.ok(lines.every((l) => l.kind === "line" && !l.partial && !l.truncated));
});

test("cuts lines over maxLineBytes and flags them; batches hold at most batchLines", async () => {
  const lines = await read([bytes(`${"x".repeat(100)}\n${"a\n".repeat(25)}`)], { maxLineBytes: 10, batchLines: 10 });
  assert.deepEqual(lines.map((b) => b.length), [10, 10, 6]);
  assert.deepEqual(lines[0]![0], { kind: "line", text: "x".repeat(10), origin: { file: STDIN_NAME, offset: 0 }, truncated: true });
  assert.equal(lines.flat().filter((l) => l.truncated).length, 1);
});

test("stops when aborted even while the input stays open and silent", async () => {
  const abort = new AbortController();
  let release = () => {};
  const never = new Promise<void>((r) => (release = r));
  const input = (async function* () {
    yield bytes("one\ntwo unfinished");
    await never; // A pipe whose writer is alive and quiet.
  })();
  const ctx = { id: "s", pipeline: "p", runtime: { ...runtime, readStdin: () => input } as Runtime, signal: abort.signal } as unknown as PluginContext;
  const source = await stdin.definition.create(stdin.definition.schema.parse({}), ctx);
  const got: RawLine[] = [];
  const done = (async () => {
    for await (const batch of source.batches()) {
      got.push(...(batch as RawLine[]));
      if (got.length === 1) abort.abort();
    }
  })();
  await done;
  release();
  // The unfinished line is kept, flagged partial: the input did not end.
  assert.deepEqual(got.map((l) => [l.text, Boolean(l.partial)]), [["one", false], ["two unfinished", true]]);
});

test("options are checked", () => {
  assert.equal(stdin.definition.schema.safeParse({ maxLineBytes: 0 }).success, false);
  assert.equal(stdin.definition.schema.safeParse({ nope: 1 }).success, false);
  assert.deepEqual(stdin.definition.schema.parse({}), { maxLineBytes: 1_048_576, batchLines: 1000 });
});
