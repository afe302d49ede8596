/**
 * `lineBlocks`: the tailer hands its lines as bytes (for a pipeline that parses in worker threads).
 * Two tailers follow the same files, one with blocks, one without: expanded, the blocks must be the
 * very RawLines the other made, with the same marks, counts and saved positions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandBlock, type Entry } from "../../core/mod.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer, type ReadResult, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-tailer-blocks-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (dir: string, extra: Partial<TailerOptions>): TailerOptions => ({ fs: nodeFileSystem, include: [compileGlob("*.log", dir)], maxLineBytes: 64, closeAfterMs: 0, chunkBytes: 100, ...extra });

/** What a read gave, blocks expanded; and the marks' ends. */
function lines(result: ReadResult): { entries: Entry[]; marks: number[] } {
  const entries: Entry[] = [...result.lines];
  for (const block of result.blocks) expandBlock(block, entries);
  return { entries, marks: result.marks.map((m) => m.end) };
}

/** Both tailers do the same step; what they give and count must be the same. */
function same(a: Tailer, b: Tailer, step: (t: Tailer) => ReadResult): Entry[] {
  const [ra, rb] = [step(a), step(b)];
  assert.equal(ra.blocks.length, 0, "the tailer without lineBlocks makes no blocks");
  assert.equal(rb.lines.length, 0, "with lineBlocks, every line is in a block");
  const [la, lb] = [lines(ra), lines(rb)];
  assert.deepEqual(lb, la);
  a.ack(ra.marks);
  b.ack(rb.marks);
  assert.deepEqual(b.stats, a.stats);
  assert.deepEqual(b.saved(), a.saved());
  return la.entries;
}

const texts = (entries: Entry[]) => entries.map((e) => (e.kind === "line" ? [e.text, e.truncated ?? false, e.partial ?? false] : e));

test("blocks give the lines, marks, counts and positions lines give: long lines cut, CRLF, UTF-8 across chunks, a rotated file's partial line, a restart's replay", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  const long = "L".repeat(150);
  writeFileSync(path, `one\r\n${long}\nwörld €€€ ${"é".repeat(40)}\n`);
  const a = new Tailer(options(dir, { fromBeginning: true }));
  const b = new Tailer(options(dir, { fromBeginning: true, lineBlocks: true }));
  for (const t of [a, b]) t.scan();
  const read = (t: Tailer) => t.read(1000, 1 << 20);
  const first = same(a, b, read);
  assert.deepEqual(texts(first).slice(0, 2), [["one", false, false], ["L".repeat(64), true, false]]);
  assert.equal(b.stats.truncatedLines, 2);
  appendFileSync(path, "two\nunfinished");
  assert.deepEqual(texts(same(a, b, read)), [["two", false, false]]);
  renameSync(path, join(dir, "app.log.1"));
  for (const t of [a, b]) t.scan();
  same(a, b, read);
  for (const t of [a, b]) t.scan();
  assert.deepEqual(texts(same(a, b, read)), [["unfinished", false, true]]);
  assert.equal(b.stats.partialLines, 1);
  a.close();
  b.close();
});

test("a restart that reads again what was read but not acknowledged counts those lines replayed, as lines do", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n") + "\nlast");
  const first = new Tailer(options(dir, { fromBeginning: true }));
  first.scan();
  const partly = first.read(10, 1 << 20);
  first.ack(partly.marks);
  first.read(1000, 1 << 20); // read, never acknowledged
  const saved = first.saved();
  first.close();
  assert.ok(saved[0]!.read > saved[0]!.offset);
  const a = new Tailer(options(dir, { saved }));
  const b = new Tailer(options(dir, { saved, lineBlocks: true }));
  for (const t of [a, b]) t.scan();
  same(a, b, (t) => t.read(1000, 1 << 20));
  assert.ok(b.stats.replayed > 0);
  // Batch mode's end: the unfinished last line of a file still there stays unread, in both.
  const rest = same(a, b, (t) => t.unfinished());
  assert.deepEqual(rest, []);
  a.close();
  b.close();
});

test("with multiline, lines stay lines (the joiner reads their text)", (t) => {
  const dir = setup(t);
  writeFileSync(join(dir, "app.log"), "a\nb\n");
  const tl = new Tailer(options(dir, { fromBeginning: true, lineBlocks: true, multiline: { cri: false, docker: false, rules: [], timeoutMs: 0, maxLines: 10, maxBytes: 1000 } }));
  tl.scan();
  const result = tl.read(1000, 1 << 20);
  assert.equal(result.blocks.length, 0);
  tl.close();
});

test("a file already there, begun in the middle of a line too long to look back over: its first block line is flagged truncated", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "x".repeat(70_000)); // past the 64 KiB looked back over
  const a = new Tailer(options(dir, {}));
  const b = new Tailer(options(dir, { lineBlocks: true }));
  for (const t of [a, b]) t.scan();
  appendFileSync(path, "tail of it\nnext\n");
  assert.deepEqual(texts(same(a, b, (t) => t.read(1000, 1 << 20))), [["tail of it", true, false], ["next", false, false]]);
  a.close();
  b.close();
});

test("with blocks a read holds at most its lines, however many a chunk has: the rest is read by the next read, none lost or read twice", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  const all = Array.from({ length: 95 }, (_, i) => `l${i}`);
  writeFileSync(path, `${all.join("\n")}\n`);
  const tl = new Tailer(options(dir, { fromBeginning: true, lineBlocks: true, chunkBytes: 64 * 1024 }));
  tl.scan();
  const got: string[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const result = tl.read(10, 1 << 20);
    const { entries } = lines(result);
    if (entries.length === 0) break;
    sizes.push(entries.length);
    got.push(...entries.map((e) => (e.kind === "line" ? e.text : "")));
    tl.ack(result.marks);
  }
  assert.deepEqual(sizes, [10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
  assert.deepEqual(got, all);
  assert.equal(tl.stats.bytes, Buffer.byteLength(`${all.join("\n")}\n`), "bytes read again are counted once");
  assert.equal(tl.saved()[0]!.offset, tl.stats.bytes);
  tl.close();
});
