/** The tailer and files that are the same file under another name: copytruncate copies (live and while down), files that come back. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import type { RawLine } from "../../core/types.ts";
import { compileGlob } from "./glob.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-copies-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const clock = { ms: 0 };
const tailer = (dir: string, glob: string, extra: Partial<TailerOptions> = {}) =>
  new Tailer({ fs: nodeFileSystem, include: [compileGlob(glob, dir)], maxLineBytes: 4096, closeAfterMs: 1000, fromBeginning: true, now: () => clock.ms, ...extra });

function drain(t: Tailer): RawLine[] {
  const out: RawLine[] = [];
  for (let i = 0; i < 10_000; i++) {
    const { lines, marks } = t.read(100, 1 << 20);
    out.push(...lines);
    t.ack(marks);
    if (lines.length === 0) return out;
  }
  throw new Error("drain did not end");
}

/** A batch run: scan, read to the end, the rest, as `collect --once` does. */
function once(t: Tailer): string[] {
  t.scan();
  const out = drain(t);
  t.scan();
  out.push(...drain(t));
  const rest = t.unfinished();
  t.ack(rest.marks);
  return [...out, ...rest.lines].map((l) => l.text);
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i} ${"x".repeat(40)}\n`).join("");
const numbers = (texts: string[]) => texts.map((s) => Number(s.split(" ")[1]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const glob of ["app.log", "app.log*"]) {
  test(`copytruncate while the collector was down: the rest is read from the copy, once (glob ${glob})`, (t) => {
    const dir = setup(t);
    const path = join(dir, "app.log");
    writeFileSync(path, lines(1, 50));
    const first = tailer(dir, glob);
    assert.deepEqual(numbers(once(first)), range(1, 50));
    const saved = first.saved();
    first.close();
    appendFileSync(path, lines(51, 100));
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, lines(101, 101));
    const second = tailer(dir, glob, { saved });
    assert.deepEqual(numbers(once(second)).sort((a, b) => a - b), range(51, 101));
    assert.equal(second.stats.copiesFollowed, 1);
    assert.equal(second.stats.truncations, 1);
    assert.equal(second.stats.truncatedWhileDown, 0, "nothing lost: the copy had it all");
    assert.deepEqual(second.problems, []);
    // A third run reads nothing again.
    const third = tailer(dir, glob, { saved: second.saved() });
    second.close();
    appendFileSync(path, lines(102, 102));
    assert.deepEqual(numbers(once(third)), [102]);
    third.close();
  });
}

test("truncated while the collector was down, with no copy: the loss is reported, not hidden", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 50));
  const first = tailer(dir, "app.log");
  once(first);
  const saved = first.saved();
  first.close();
  appendFileSync(path, lines(51, 100));
  truncateSync(path, 0);
  appendFileSync(path, lines(101, 101));
  const second = tailer(dir, "app.log", { saved });
  assert.deepEqual(numbers(once(second)), [101]);
  assert.equal(second.stats.truncatedWhileDown, 1);
  assert.match(second.problems.join("\n"), /app\.log was truncated or replaced while the collector was down \(saved at byte \d+\).*lost/);
  second.close();
});

/**
 * Twelve live copytruncates of app.log to app.log.1 under the tailer's glob, read at varying moments;
 * returns every line read and the number written. With `time` (whole seconds), the file and each copy
 * are given that modification time, as when a cycle takes less than the clock's tick.
 */
function copytruncates(tl: Tailer, path: string, time?: number): { got: string[]; n: number } {
  const pin = (file: string) => time !== undefined && utimesSync(file, time, time);
  tl.scan();
  const got: string[] = [];
  let n = 0;
  for (let cycle = 0; cycle < 12; cycle++) {
    appendFileSync(path, lines(n + 1, n + 30));
    n += 30;
    if (cycle % 2 === 0) got.push(...drain(tl).map((l) => l.text)); // read part of it, or none
    appendFileSync(path, lines(n + 1, n + 10));
    n += 10;
    copyFileSync(path, `${path}.1`); // overwrites the previous copy in place from the 2nd cycle on
    pin(`${path}.1`);
    if (cycle % 3 !== 2) tl.scan(); // the scan sees the copy before the truncation, or not
    truncateSync(path, 0);
    pin(path);
    tl.scan();
    got.push(...drain(tl).map((l) => l.text));
    clock.ms += 2000;
  }
  tl.scan();
  got.push(...drain(tl).map((l) => l.text));
  return { got, n };
}

test("live copytruncate with the copy under the glob: the copy is continued from the read position, never read from 0", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir, "app.log*");
  const { got, n } = copytruncates(tl, path);
  assert.deepEqual(numbers(got).sort((a, b) => a - b), range(1, n));
  assert.equal(tl.stats.bytesLost, 0);
  tl.close();
});

test("copytruncates within one clock tick: a copy read to its end and overwritten in place to the same size and time is read again", (t) => {
  // Seen on Deno on a loaded machine, whose times are whole milliseconds: only the copy's first bytes
  // tell it from the one read before it.
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const time = Math.floor(Date.now() / 1000); // Whole seconds: every runtime reads it back exactly.
  const tl = tailer(dir, "app.log*", { wallNow: () => time * 1000 + 1 });
  const { got, n } = copytruncates(tl, path, time);
  assert.equal(statSync(`${path}.1`).mtimeMs, time * 1000);
  assert.deepEqual(numbers(got).sort((a, b) => a - b), range(1, n));
  tl.close();
});

test("a folder moved away and back (same inodes): its files resume where they were", (t) => {
  const dir = setup(t);
  mkdirSync(join(dir, "logs"));
  const path = join(dir, "logs/app.log");
  writeFileSync(path, lines(1, 100));
  const tl = tailer(dir, "logs/*.log");
  tl.scan();
  assert.equal(drain(tl).length, 100);
  renameSync(join(dir, "logs"), join(dir, "away"));
  for (let i = 0; i < 3; i++) {
    tl.scan();
    drain(tl);
    clock.ms += 1000;
  }
  assert.equal(tl.files().length, 0, "closed while away");
  renameSync(join(dir, "away"), join(dir, "logs"));
  appendFileSync(path, lines(101, 101));
  tl.scan();
  assert.deepEqual(numbers(drain(tl).map((l) => l.text)), [101]);
  assert.equal(readFileSync(path, "utf8").split("\n").length, 102);
  tl.close();
});

/** Reads and acks until nothing comes, with a scan first when `scan`. */
const follow = (tl: Tailer, scan = true) => (scan && tl.scan(), numbers(drain(tl).map((l) => l.text)));

/** The kill test's sequence: a restart finds the copy as a file under the glob; the next live copytruncate overwrites it in place. */
for (const closed of [true, false]) {
  for (const scanFirst of [true, false]) {
    test(`after a restart, the next live copytruncate over the copy continues it from the read position (copy ${closed ? "closed" : "still open"} at the kill; ${scanFirst ? "a scan" : "a read"} sees it first)`, (t) => {
      const dir = setup(t);
      const path = join(dir, "app.log");
      writeFileSync(path, lines(1, 100));
      const first = tailer(dir, "app.log*");
      assert.deepEqual(follow(first), range(1, 100));
      copyFileSync(path, `${path}.1`);
      truncateSync(path, 0);
      appendFileSync(path, lines(101, 150));
      assert.deepEqual(follow(first), range(101, 150));
      if (closed) for (let i = 0; i < 2; i++) (clock.ms += 2000), follow(first);
      const saved = first.saved();
      assert.equal(saved.some((f) => f.path === `${path}.1` && (f.done || f.copy)), true, "the copy is saved as such");
      first.close(); // kill -9: positions as saved
      const second = tailer(dir, "app.log*", { saved });
      appendFileSync(path, lines(151, 200));
      assert.deepEqual(follow(second), range(151, 200));
      appendFileSync(path, lines(201, 220)); // written, not yet read when the copy is made
      copyFileSync(path, `${path}.1`); // over the old copy: same inode
      truncateSync(path, 0);
      appendFileSync(path, lines(221, 230));
      const got = follow(second, scanFirst);
      got.push(...follow(second));
      assert.deepEqual(got.sort((a, b) => a - b), range(201, 230), "the copy continued from byte 0 of line 201, the truncated file from 0");
      assert.equal(second.stats.copiesFollowed, 1);
      assert.equal(second.stats.bytesLost, 0);
      second.close();
    });
  }
}

test("a saved copy overwritten in place while down, the file it copies not yet truncated: the new copy waits for the truncation, never read from 0", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 100));
  const first = tailer(dir, "app.log*");
  follow(first);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(101, 150));
  follow(first);
  const saved = first.saved();
  first.close();
  copyFileSync(path, `${path}.1`); // down: the copy is made; the restart comes before the truncation
  const second = tailer(dir, "app.log*", { saved });
  assert.deepEqual(follow(second), []);
  truncateSync(path, 0);
  appendFileSync(path, lines(151, 160));
  assert.deepEqual(follow(second).sort((a, b) => a - b), range(151, 160));
  assert.equal(second.stats.bytesLost, 0);
  assert.equal(second.stats.truncatedWhileDown, 0, "the old copy had been read to its end: nothing lost");
  second.close();
});

test("batches read before a copytruncate and acked after it move the copy's saved position", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const first = tailer(dir, "app.log*");
  first.scan();
  appendFileSync(path, lines(1, 60));
  const batch = first.read(1000, 1 << 20);
  assert.equal(batch.lines.length, 60);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  first.scan();
  assert.equal(first.read(1000, 1 << 20).lines.length, 0, "the copy is adopted at the read position: nothing new");
  first.ack(batch.marks); // the sinks wrote the batch only now
  const copy = first.saved().find((f) => f.path === `${path}.1`);
  assert.equal(copy?.offset, Buffer.byteLength(lines(1, 60)), "the copy's position covers the acked batch");
  const second = tailer(dir, "app.log*", { saved: first.saved() });
  first.close();
  assert.deepEqual(follow(second), [], "nothing read again after a restart");
  second.close();
});

test("a copy overwritten in place before it was read to its end: the unread bytes are counted lost", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir, "app.log*", { chunkBytes: 512 });
  tl.scan();
  appendFileSync(path, lines(1, 100));
  const before = tl.read(1, 1 << 20).lines; // one chunk: most of the file is unread
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  tl.scan();
  before.push(...tl.read(1, 1).lines); // adopts the copy; reads a little of it
  const delivered = Buffer.byteLength(lines(1, numbers(before.map((l) => l.text)).at(-1)!));
  appendFileSync(path, lines(101, 200));
  copyFileSync(path, `${path}.1`); // the next copytruncate, before the first copy was read
  truncateSync(path, 0);
  const got = follow(tl);
  assert.equal(tl.stats.bytesLost, Buffer.byteLength(lines(1, 100)) - delivered, "exactly the first copy's undelivered bytes");
  assert.ok(got.includes(200) && !got.includes(100));
  tl.close();
});

test("a file saved before any of it was read (offset 0), overwritten in place by the next copy while down: the loss is reported (found by the model test)", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  // The live file listed first (Node's readdir sorts, Bun's need not): the copy is then judged one and waits.
  const fs = { ...nodeFileSystem, readDir: (p: string) => nodeFileSystem.readDir(p).sort() };
  writeFileSync(path, "");
  const first = tailer(dir, "app.log*", { fs });
  first.scan();
  appendFileSync(path, lines(1, 29));
  copyFileSync(path, `${path}.1`); // a copytruncate the tailer has not seen...
  truncateSync(path, 0);
  appendFileSync(path, lines(30, 59));
  assert.equal(first.scan(), true, "...then app.log.1 is a new file (it copies nothing followed now), saved at once");
  const saved = first.saved();
  assert.deepEqual(saved.filter((f) => f.path === `${path}.1`).map((f) => [f.offset, f.size]), [[0, readFileSync(`${path}.1`).length]]);
  first.close(); // kill -9 before a read
  copyFileSync(path, `${path}.1`); // down: the next copy overwrites app.log.1 in place, lines 1-29 unread
  const second = tailer(dir, "app.log*", { fs, saved });
  second.scan();
  // Before the fix, a file replaced by a copy was reported only when it had been saved past byte 0.
  assert.equal(second.stats.truncatedWhileDown, 1);
  assert.match(second.problems.join("\n"), /app\.log\.1 was replaced by a copy of another file while the collector was down/);
  truncateSync(path, 0);
  assert.deepEqual(follow(second).sort((a, b) => a - b), range(30, 59), "the copy continued, not read twice");
  second.close();
});

/**
 * Lines 1-5 read; then a copytruncate of lines 1-29 (6-29 never read) and lines 30-44 written, before
 * the scan that sees app.log.1 (a copy of app.log: it waits for the truncation to be read) and app.log rewritten.
 */
function copyWaitingForTruncation(t: { after(fn: () => void): void }) {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 5));
  const tl = tailer(dir, "app.log*");
  assert.deepEqual(follow(tl), range(1, 5));
  appendFileSync(path, lines(6, 29));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(30, 44));
  tl.scan();
  return { path, tl };
}

test("a copy seen waiting for the truncation, then overwritten by the next copy before it was read: its unread bytes are counted lost (found by the model test)", (t) => {
  const { path, tl } = copyWaitingForTruncation(t);
  copyFileSync(path, `${path}.1`); // the next copytruncate, before any read: lines 6-29 are gone
  truncateSync(path, 0);
  assert.deepEqual(follow(tl).sort((a, b) => a - b), range(30, 44));
  // Before the fix, only what app.log had been seen to hold (lines 1-5, all read) counted: nothing lost.
  assert.equal(tl.stats.bytesLost, Buffer.byteLength(lines(6, 29)));
  tl.close();
});

test("a copy seen waiting and still there when the truncation is read: continued, nothing counted lost", (t) => {
  const { tl } = copyWaitingForTruncation(t);
  assert.deepEqual(follow(tl).sort((a, b) => a - b), range(6, 44));
  assert.equal(tl.stats.bytesLost, 0);
  tl.close();
});
