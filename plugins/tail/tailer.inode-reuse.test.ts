/**
 * Rename rotation with the inode of a deleted backup reused at once (ext4 does) by the next app.log,
 * while the deleted file, read to its end and closed, still waits for the ack of its last batch.
 * The inode is reused deterministically here: the file system reports the new file's inode as the
 * freed one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileStat, FileSystem } from "../../core/runtime.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer } from "./tailer.ts";

/** nodeFileSystem, reporting inode `from` as `to` (a freed inode given to a new file). */
function reusingInodes(reused: Map<number, number>): FileSystem {
  const map = (stat: FileStat): FileStat => (reused.has(stat.ino) ? { ...stat, ino: reused.get(stat.ino)! } : stat);
  return {
    ...nodeFileSystem,
    stat: (path) => {
      const stat = nodeFileSystem.stat(path);
      return stat && map(stat);
    },
    openRead(path) {
      const file = nodeFileSystem.openRead(path);
      return { ...file, stat: () => map(file.stat()) };
    },
  };
}

test("a new app.log given the inode of a deleted backup not yet acked is read, not taken for that file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-inode-reuse-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  writeFileSync(log, "");
  const reused = new Map<number, number>();
  const tl = new Tailer({ fs: reusingInodes(reused), include: [compileGlob("app.log", dir)], maxLineBytes: 1024, closeAfterMs: 0 });
  tl.scan();
  appendFileSync(log, "old 1\nold 2\n");
  const oldIno = statSync(log).ino;
  tl.scan();
  const first = tl.read(100, 1 << 20);
  assert.deepEqual(first.lines.map((l) => l.text), ["old 1", "old 2"]);
  // Rotated and deleted (past the kept backups) before that batch is acked (the sinks are behind).
  renameSync(log, `${log}.1`);
  unlinkSync(`${log}.1`);
  tl.scan();
  tl.scan();
  assert.deepEqual(tl.read(100, 1 << 20).lines, []); // read to its end, closed: its inode is free
  writeFileSync(log, "new 1\n");
  reused.set(statSync(log).ino, oldIno);
  tl.scan();
  const collected = tl.read(100, 1 << 20).lines.map((l) => l.text);
  tl.ack(first.marks);
  // The next rotation takes it out of the glob (only app.log is under it) before the next scan.
  renameSync(log, `${log}.1`);
  appendFileSync(`${log}.1`, "new 2\n");
  tl.scan();
  for (let i = 0; i < 3; i++) collected.push(...tl.read(100, 1 << 20).lines.map((l) => l.text));
  assert.deepEqual(collected, ["new 1", "new 2"]);
  tl.close();
});

/** A run that reads app.log to its end and saves; app.log is then replaced by a file with the same first bytes, longer. */
function replacedWhileDown(t: { after(fn: () => void): void }, sameInode: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-replaced-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  const banner = `# ${"banner ".repeat(200)}\n`; // Longer than the fingerprint's 1,024 bytes: the same in both files.
  writeFileSync(log, `${banner}old 1\nold 2\n`);
  const oldIno = statSync(log).ino;
  const reused = new Map<number, number>();
  const options = { fs: reusingInodes(reused), include: [compileGlob("app.log", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true };
  const first = new Tailer(options);
  first.scan();
  const read = first.read(100, 1 << 20);
  assert.deepEqual(read.lines.map((l) => l.text).slice(1), ["old 1", "old 2"]);
  first.ack(read.marks);
  const saved = first.saved();
  first.close();
  assert.ok(saved[0]!.lastBytes, "the save holds the bytes before its offset");
  // Collector down: app.log deleted and written again, longer than the saved offset.
  unlinkSync(log);
  writeFileSync(log, `${banner}new 1\nnew 2\nnew 3\n`);
  if (sameInode) reused.set(statSync(log).ino, oldIno);
  const second = new Tailer({ ...options, saved });
  second.scan();
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) lines.push(...second.read(100, 1 << 20).lines.map((l) => l.text));
  second.close();
  return { lines, banner: banner.slice(0, -1), saved };
}

test("a file replaced while the collector was down by one with the same first bytes, in the same inode, is read from its start", (t) => {
  const { lines, banner } = replacedWhileDown(t, true);
  assert.deepEqual(lines, [banner, "new 1", "new 2", "new 3"]);
});

test("a file replaced while the collector was down by one with the same first bytes, in another inode, is read from its start", (t) => {
  const { lines, banner } = replacedWhileDown(t, false);
  assert.deepEqual(lines, [banner, "new 1", "new 2", "new 3"]);
});

test("a state saved without the last bytes (an older logsim) resumes a file with the same first bytes at its offset, as before", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-replaced-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  writeFileSync(log, "a\nb\n");
  const options = { fs: nodeFileSystem, include: [compileGlob("app.log", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true };
  const first = new Tailer(options);
  first.scan();
  const read = first.read(100, 1 << 20);
  first.ack(read.marks);
  const saved = first.saved().map(({ lastBytes: _, ...f }) => f);
  first.close();
  appendFileSync(log, "c\n");
  const second = new Tailer({ ...options, saved });
  second.scan();
  assert.deepEqual(second.read(100, 1 << 20).lines.map((l) => l.text), ["c"]);
  second.close();
});

test("a copytruncate between a read and the save: the restart resumes in the copy, whose bytes before the offset are those read (no acked line twice)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-replaced-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  const line = (n: number) => `line-${n}-${"x".repeat(60)}\n`;
  writeFileSync(log, Array.from({ length: 20 }, (_, i) => line(i + 1)).join("")); // 1.4 KiB: a whole fingerprint
  const options = { fs: nodeFileSystem, include: [compileGlob("app.log*", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true, chunkBytes: 200 };
  const first = new Tailer(options);
  first.scan();
  const read = first.read(4, 1 << 20);
  first.ack(read.marks);
  const acked = read.lines.map((l) => l.text);
  // logrotate's copytruncate, and new lines, before the collector looks again: the save sees app.log
  // holding other bytes before the acked offset than those read.
  writeFileSync(`${log}.1`, "");
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  writeFileSync(log, Array.from({ length: 10 }, (_, i) => line(100 + i)).join(""));
  const saved = first.saved();
  first.close();
  // kill -9, restart from those positions.
  const second = new Tailer({ ...options, saved });
  second.scan();
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) lines.push(...second.read(100, 1 << 20).lines.map((l) => l.text));
  second.close();
  for (const text of acked) assert.ok(!lines.includes(text), `acked before the kill, read again: ${text}`);
  assert.ok(lines.includes(line(20).trimEnd()) && lines.includes(line(109).trimEnd()), `the rest of the copy and the new file are read: ${lines.join(" | ")}`);
});

test("a file replaced under a running tailer (a new file renamed over it, the same first bytes) before its rest was read: the new file is read from its start, not taken for a copy", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-replaced-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  const banner = `# ${"banner ".repeat(200)}\n`; // Longer than the fingerprint's 1,024 bytes: the same in both files.
  const body = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join("");
  writeFileSync(log, banner + body(1, 50));
  const tl = new Tailer({ fs: nodeFileSystem, include: [compileGlob("app.log*", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true, chunkBytes: 1450 });
  tl.scan();
  const lines = tl.read(5, 1 << 20).lines.map((l) => l.text); // the banner and a few lines: the rest not read yet
  assert.ok(!lines.includes("line 50"));
  writeFileSync(`${log}.tmp`, banner + body(101, 200));
  renameSync(`${log}.tmp`, log);
  for (let i = 0; i < 20; i++) {
    tl.scan();
    lines.push(...tl.read(1000, 1 << 20).lines.map((l) => l.text));
  }
  tl.close();
  const got = lines.filter((l) => l.startsWith("line ")).map((l) => Number(l.slice(5)));
  const want = [...Array.from({ length: 50 }, (_, i) => i + 1), ...Array.from({ length: 100 }, (_, i) => i + 101)];
  assert.deepEqual(got.sort((a, b) => a - b), want, "the old file read to its end, the new one from its start, each line once");
});

test("a file read to its end and deleted, whose inode a new file with the same first bytes gets later: the new file is read from its start, not taken for the old one come back", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-replaced-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "app.log");
  const banner = `# ${"banner ".repeat(200)}\n`;
  const body = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join("");
  const reused = new Map<number, number>();
  const tl = new Tailer({ fs: reusingInodes(reused), include: [compileGlob("app.log*", dir)], maxLineBytes: 4096, closeAfterMs: 0, fromBeginning: true });
  writeFileSync(log, banner + body(1, 20));
  tl.scan();
  const lines: string[] = [];
  const readAll = () => {
    for (let i = 0; i < 5; i++) {
      tl.scan();
      const r = tl.read(1000, 1 << 20);
      tl.ack(r.marks);
      lines.push(...r.lines.map((l) => l.text));
    }
  };
  readAll();
  const oldIno = statSync(log).ino;
  unlinkSync(log); // read to its end, deleted, closed: remembered by its inode
  readAll();
  // Later (other files came and went), a new app.log gets that inode, with the same banner and more lines.
  writeFileSync(log, banner + body(101, 160));
  reused.set(statSync(log).ino, oldIno);
  readAll();
  tl.close();
  const got = lines.filter((l) => l.startsWith("line ")).map((l) => Number(l.slice(5)));
  assert.deepEqual(got, [...Array.from({ length: 20 }, (_, i) => i + 1), ...Array.from({ length: 60 }, (_, i) => i + 101)]);
});
