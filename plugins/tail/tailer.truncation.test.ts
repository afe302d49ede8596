/**
 * Truncation in place under a live writer: the bytes lost are the largest size seen of the file
 * (at every scan and every read) minus what was delivered. Exact when the tailer saw the size
 * before the cut; bytes written and cut between two looks are never seen (a lower bound).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "logsim-truncation-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const tailer = (dir: string, extra: Partial<TailerOptions> = {}) =>
  new Tailer({ fs: nodeFileSystem, include: [compileGlob("app.log", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true, ...extra });

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i} ${"x".repeat(60)}\n`).join("");
const bytes = (from: number, to: number) => Buffer.byteLength(lines(from, to));
const numbers = (texts: string[]) => texts.map((s) => Number(s.split(" ")[1]));

/** Reads and acks until nothing comes (bounded). */
function drain(tl: Tailer): number[] {
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const { lines: got, marks } = tl.read(1000, 1 << 20);
    tl.ack(marks);
    out.push(...got.map((l) => l.text));
    if (got.length === 0) return numbers(out);
  }
  throw new Error("drain did not end");
}

test("truncated to 0 after a scan saw its size: the bytes lost are exact", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 100));
  const tl = tailer(dir, { chunkBytes: 710 }); // 10 lines a chunk
  tl.scan();
  const first = tl.read(40, 1 << 20);
  const last = numbers(first.lines.map((l) => l.text)).at(-1)!;
  assert.ok(last >= 40 && last < 100);
  tl.ack(first.marks);
  appendFileSync(path, lines(101, 150)); // the writer goes on
  tl.scan(); // the collector looks: 150 lines' worth seen
  truncateSync(path, 0);
  appendFileSync(path, lines(151, 155));
  assert.deepEqual(drain(tl), [151, 152, 153, 154, 155]);
  assert.equal(tl.stats.truncations, 1);
  assert.equal(tl.stats.bytesLost, bytes(last + 1, 150), "every byte seen and not delivered (the start of a line read in part too)");
  tl.close();
});

test("truncated to 0 after a read saw its size (one chunk read of a longer file): exact", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir, { chunkBytes: 1000 });
  tl.scan();
  appendFileSync(path, lines(1, 100));
  const first = tl.read(1, 1); // one chunk: its stat saw the whole file
  tl.ack(first.marks);
  const delivered = bytes(1, numbers(first.lines.map((l) => l.text)).at(-1)!);
  truncateSync(path, 0);
  appendFileSync(path, lines(101, 101));
  assert.deepEqual(drain(tl), [101]);
  assert.equal(tl.stats.bytesLost, bytes(1, 100) - delivered, "the part of a line read but not delivered counts too");
  tl.close();
});

test("cut above the read position (truncate -s): the cut part is counted lost, reading goes on at the same offset", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 100));
  const tl = tailer(dir, { chunkBytes: 710 });
  tl.scan();
  const first = tl.read(30, 1 << 20);
  const last = numbers(first.lines.map((l) => l.text)).at(-1)!;
  assert.ok(last >= 30 && last < 60);
  tl.ack(first.marks);
  tl.scan();
  truncateSync(path, bytes(1, 60)); // lines 61-100 cut, the first 1 KiB unchanged
  tl.scan(); // a look before the writer goes on: the cut is seen whole
  appendFileSync(path, lines(101, 110));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  assert.deepEqual(drain(tl), [...range(last + 1, 60), ...range(101, 110)]);
  assert.equal(tl.stats.truncations, 1);
  assert.equal(tl.stats.bytesLost, bytes(61, 100));
  tl.close();
});

test("written and cut between two looks: never seen, not counted (the count is a lower bound)", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 10));
  const tl = tailer(dir);
  tl.scan();
  assert.equal(drain(tl).length, 10);
  appendFileSync(path, lines(11, 50)); // no look in between
  truncateSync(path, 0);
  appendFileSync(path, lines(51, 51));
  assert.deepEqual(drain(tl), [51]);
  assert.equal(tl.stats.bytesLost, 0);
  tl.close();
});
