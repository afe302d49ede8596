import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";
import type { RawLine } from "../../core/types.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-tailer-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tailer(dir: string, extra: Partial<TailerOptions> = {}): Tailer {
  return new Tailer({ fs: nodeFileSystem, include: [compileGlob("*.log", dir)], maxLineBytes: 1024, closeAfterMs: 0, ...extra });
}

/** Reads everything available, acking as a sink would. */
function drain(t: Tailer): RawLine[] {
  const out: RawLine[] = [];
  for (;;) {
    const { lines, marks } = t.read(100, 1 << 20);
    if (lines.length === 0) return out;
    out.push(...lines);
    t.ack(marks);
  }
}

const texts = (lines: RawLine[]) => lines.map((l) => l.text);

test("a file already there whose last line is unfinished and long is joined at that line's start, not its middle", (t) => {
  const dir = setup(t);
  const long = "X".repeat(100_000); // more than the 64 KiB first looked at
  writeFileSync(join(dir, "old.log"), `done\n${long}`);
  const tl = tailer(dir, { maxLineBytes: 1 << 20 });
  tl.scan();
  appendFileSync(join(dir, "old.log"), "-END\nnext\n");
  const lines = drain(tl);
  assert.deepEqual(lines.map((l) => [l.text.length, l.truncated ?? false]), [[100_004, false], [4, false]]);
  // Longer than maxLineBytes: reading starts at the end and the rest of that line is flagged as cut.
  writeFileSync(join(dir, "huge.log"), `done\n${"Y".repeat(100_000)}`);
  const small = tailer(dir, { maxLineBytes: 1024, include: [compileGlob("huge.log", dir)] });
  small.scan();
  appendFileSync(join(dir, "huge.log"), "-END\nnext\n");
  assert.deepEqual(drain(small).map((l) => [l.text, l.truncated ?? false]), [["-END", true], ["next", false]]);
  tl.close();
  small.close();
});

test("files already there start at their end, new files at their start", (t) => {
  const dir = setup(t);
  writeFileSync(join(dir, "old.log"), "a\nb\n");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(join(dir, "old.log"), "c\n");
  writeFileSync(join(dir, "new.log"), "x\n");
  tl.scan();
  assert.deepEqual(texts(drain(tl)).sort(), ["c", "x"]);
  tl.close();
});

test("rename rotation: the renamed file is read to its end through its handle, even deleted", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, "1\n2\n");
  renameSync(path, `${path}.1`);
  appendFileSync(`${path}.1`, "3\n"); // The writer still had it open.
  unlinkSync(`${path}.1`);
  writeFileSync(path, "4\n");
  tl.scan();
  assert.deepEqual(texts(drain(tl)), ["1", "2", "3", "4"]);
  assert.equal(tl.stats.rotations, 1);
  tl.scan();
  drain(tl);
  assert.equal(tl.files().length, 1, "the drained rotated file is closed at a later scan");
  tl.close();
});

test("a partial last line waits, and is emitted once, whole, when completed", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, "one\ntw");
  assert.deepEqual(texts(drain(tl)), ["one"]);
  appendFileSync(path, "o\n");
  assert.deepEqual(texts(drain(tl)), ["two"]);
  tl.close();
});

test("a partial last line is flushed flagged partial when its file is rotated away", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, "one\ntail");
  renameSync(path, `${path}.1`);
  tl.scan();
  assert.deepEqual(texts(drain(tl)), ["one"]);
  tl.scan();
  const rest = drain(tl);
  assert.deepEqual(rest.map((l) => [l.text, l.partial]), [["tail", true]]);
  assert.equal(tl.stats.partialLines, 1);
  tl.close();
});

test("batch mode: a last line without its newline is not emitted while its file is there; the next run emits it once, whole", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "one\ntw");
  const first = tailer(dir, { fromBeginning: true });
  first.scan();
  const out = drain(first);
  const rest = first.unfinished();
  first.ack(rest.marks);
  assert.deepEqual(texts([...out, ...rest.lines]), ["one"]);
  const saved = first.saved();
  first.close();
  assert.equal(saved[0]!.offset, 4, "the position stays before the unfinished line");
  appendFileSync(path, "o\n");
  const second = tailer(dir, { saved });
  second.scan();
  const again = drain(second);
  assert.deepEqual([...again, ...second.unfinished().lines].map((l) => [l.text, l.partial ?? false]), [["two", false]]);
  assert.equal(second.stats.partialLines, 0);
  second.close();
  // Gone (rotated away) at the end of a run: flagged partial, since nothing will complete it here.
  writeFileSync(path, "x\ny");
  const third = tailer(dir, { fromBeginning: true, include: [compileGlob("app.log", dir)] });
  third.scan();
  drain(third);
  renameSync(path, join(dir, "old"));
  third.scan();
  assert.deepEqual(third.unfinished().lines.map((l) => [l.text, l.partial ?? false]), [["y", true]]);
  third.close();
});

test("truncation starts over from 0 and counts the bytes never read", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, "aaaa\nbbbb\n");
  assert.deepEqual(texts(drain(tl)), ["aaaa", "bbbb"]);
  appendFileSync(path, "cccc\n"); // Seen by a scan, then lost to the truncate before being read.
  tl.scan();
  truncateSync(path, 0);
  appendFileSync(path, "dd\n");
  assert.deepEqual(texts(drain(tl)), ["dd"]);
  assert.equal(tl.stats.truncations, 1);
  tl.close();
});

test("copytruncate then quick rewrite past the position is caught by the fingerprint", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, "first-1\n");
  assert.deepEqual(texts(drain(tl)), ["first-1"]);
  writeFileSync(`${path}.1`, "first-1\n"); // the copy (not under the glob)
  truncateSync(path, 0);
  appendFileSync(path, "second-1\nsecond-2\n"); // already longer than the old position
  tl.scan();
  assert.deepEqual(texts(drain(tl)), ["second-1", "second-2"]);
  assert.equal(tl.stats.truncations, 1);
  tl.close();
});

test("restart resumes at the acked position, and finds a file rotated while down", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const first = tailer(dir);
  first.scan();
  appendFileSync(path, "1\n2\n");
  const { lines, marks } = first.read(10, 1 << 20);
  assert.deepEqual(texts(lines), ["1", "2"]);
  first.ack(marks);
  appendFileSync(path, "3\n");
  assert.deepEqual(texts(first.read(10, 1 << 20).lines), ["3"]); // "3" read but never acked: the crash comes before the sink writes it
  const saved = first.saved();
  first.close();
  appendFileSync(path, "4\n");
  renameSync(path, `${path}.1`);
  writeFileSync(path, "5\n");
  const second = tailer(dir, { saved });
  second.scan();
  assert.deepEqual(texts(drain(second)).sort(), ["3", "4", "5"]);
  assert.equal(second.stats.replayed, 1, "line 3 counted as a possible duplicate");
  second.close();
});

test("a saved position past the file's size or a changed fingerprint is thrown away", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "x".repeat(2000) + "\n");
  const first = tailer(dir, { fromBeginning: true });
  first.scan();
  first.ack(first.read(10, 1 << 20).marks);
  const saved = first.saved();
  first.close();
  writeFileSync(path, "y".repeat(2000) + "\nz\n"); // same inode, other content
  const second = tailer(dir, { saved });
  second.scan();
  assert.deepEqual(texts(drain(second)).map((s) => s[0]), ["y", "z"]);
  second.close();
});

test("never reads the files it is told to ignore", (t) => {
  const dir = setup(t);
  writeFileSync(join(dir, "out.log"), "");
  writeFileSync(join(dir, "in.log"), "");
  const tl = tailer(dir, { ignored: () => [join(dir, "out.log")] });
  tl.scan();
  appendFileSync(join(dir, "out.log"), "mine\n");
  appendFileSync(join(dir, "in.log"), "theirs\n");
  assert.deepEqual(texts(drain(tl)), ["theirs"]);
  tl.close();
});
