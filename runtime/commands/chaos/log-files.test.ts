import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { LogFiles } from "./log-files.ts";
import { readFiles, seqsIn } from "./_test-files.ts";

function setup(o: { generations?: number; symlink?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), "chaos-files-"));
  const path = join(root, "logs", "app.log");
  let now = 0;
  const files = new LogFiles({ path, generations: o.generations ?? 3, symlink: o.symlink ?? false, now: () => now });
  let seq = 0;
  const write = (n: number) => {
    for (let i = 0; i < n; i++) {
      seq++;
      files.write(`seq=${seq}\n`, { from: seq, to: seq });
    }
    now += 10;
  };
  return { root, dir: join(root, "logs"), path, files, write, cleanup: () => (files.close(), rmSync(root, { recursive: true, force: true })) };
}

test("rotate: path becomes path.1, generations shift, the oldest beyond N is deleted and its seqs reported", () => {
  const t = setup({ generations: 2 });
  try {
    t.write(3);
    const first = t.files.rotate();
    assert.deepEqual(first.atRisk, []);
    t.write(2);
    t.files.rotate();
    t.write(1);
    const third = t.files.rotate();
    assert.deepEqual(third.atRisk.map((r) => [r.from, r.to, r.reason]), [[1, 3, "rotated-away"]]);
    assert.match(third.detail, /deleted app\.log\.2 \(seqs 1-3\)/);
    t.write(1);
    const on = readFiles(t.dir);
    assert.deepEqual([...on.keys()].sort(), ["app.log", "app.log.1", "app.log.2"]);
    assert.deepEqual(seqsIn(on.get("app.log.2")!), [4, 5]);
    assert.deepEqual(seqsIn(on.get("app.log.1")!), [6]);
    assert.deepEqual(seqsIn(on.get("app.log")!), [7]);
    assert.deepEqual(t.files.files(), { "app.log.2": { from: 4, to: 5 }, "app.log.1": { from: 6, to: 6 }, "app.log": { from: 7, to: 7 } });
  } finally {
    t.cleanup();
  }
});

test("copytruncate: the copy holds the lines, the file is truncated in place (same inode), lines written in the window are reported and in no file", () => {
  const t = setup();
  try {
    t.write(3);
    const inode = statSync(t.path).ino;
    t.files.startCopytruncate();
    t.write(2); // The window: after the copy, before the truncate.
    const done = t.files.finishCopytruncate();
    assert.deepEqual(done.atRisk.map((r) => [r.from, r.to, r.reason]), [[4, 5, "copytruncate-window"]]);
    t.write(1);
    assert.equal(statSync(t.path).ino, inode);
    const on = readFiles(t.dir);
    assert.deepEqual(seqsIn(on.get("app.log.1")!), [1, 2, 3]);
    assert.deepEqual(seqsIn(on.get("app.log")!), [6], "O_APPEND: after the truncate the writer writes at the new end, not at its old offset");
    assert.equal(readFileSync(t.path, "utf8"), "seq=6\n");
  } finally {
    t.cleanup();
  }
});

test("copytruncate without a window loses nothing", () => {
  const t = setup();
  try {
    t.write(3);
    t.files.startCopytruncate();
    assert.deepEqual(t.files.finishCopytruncate().atRisk, []);
  } finally {
    t.cleanup();
  }
});

test("truncate and delete report every seq the file held; the path then holds only what comes after", () => {
  const t = setup();
  try {
    t.write(4);
    assert.deepEqual(t.files.truncate().atRisk.map((r) => [r.from, r.to, r.reason]), [[1, 4, "truncated"]]);
    assert.equal(statSync(t.path).size, 0);
    t.write(2);
    const deleted = t.files.deleteAndRecreate();
    assert.deepEqual(deleted.atRisk.map((r) => [r.from, r.to, r.reason]), [[5, 6, "deleted"]]);
    assert.equal(statSync(t.path).size, 0);
    t.write(1);
    assert.equal(readFileSync(t.path, "utf8"), "seq=7\n");
  } finally {
    t.cleanup();
  }
});

test("gzip compresses the newest rotated generation but .1 (delaycompress), whose lines read back from the .gz; rotation carries .gz names along", () => {
  const t = setup({ generations: 4 });
  try {
    t.write(2);
    t.files.rotate();
    assert.match(t.files.gzip().detail, /nothing to compress/);
    t.write(1);
    t.files.rotate();
    const gz = t.files.gzip();
    assert.deepEqual(gz.atRisk.map((r) => [r.from, r.to, r.reason]), [[1, 2, "compressed"]]);
    assert.ok(!existsSync(`${t.path}.2`) && existsSync(`${t.path}.2.gz`) && existsSync(`${t.path}.1`));
    t.files.rotate();
    const on = readFiles(t.dir);
    assert.deepEqual(seqsIn(on.get("app.log.3.gz")!), [1, 2]);
    assert.deepEqual(seqsIn(on.get("app.log.2")!), [3]);
  } finally {
    t.cleanup();
  }
});

test("symlink-swap: the path is a link, re-pointed atomically at a new data file; the old one keeps its lines, reported at risk", () => {
  const t = setup({ symlink: true });
  try {
    assert.ok(lstatSync(t.path).isSymbolicLink());
    t.write(2);
    const before = readlinkSync(t.path);
    const swap = t.files.symlinkSwap();
    assert.notEqual(readlinkSync(t.path), before);
    assert.deepEqual(swap.atRisk.map((r) => [r.from, r.to, r.reason]), [[1, 2, "unlinked"]]);
    t.write(1);
    const on = readFiles(t.dir);
    assert.deepEqual(seqsIn(on.get(".chaos-targets/app.log.1")!), [1, 2]);
    assert.deepEqual(seqsIn(readFileSync(t.path, "utf8")), [3]);
    assert.ok(!existsSync(`${t.path}.chaos-link`));
  } finally {
    t.cleanup();
  }
});

test("move-dir: the folder goes away and comes back; lines written meanwhile are in the file", () => {
  const t = setup();
  try {
    t.write(1);
    t.files.moveDirAway();
    assert.ok(t.files.away && !existsSync(t.dir) && existsSync(`${t.dir}.chaos-away/app.log`));
    t.write(1);
    t.files.moveDirBack();
    assert.ok(!t.files.away);
    assert.deepEqual(seqsIn(readFileSync(t.path, "utf8")), [1, 2]);
  } finally {
    t.cleanup();
  }
});

test("an existing path is refused: chaos must know every line of every file", () => {
  const t = setup();
  try {
    assert.throws(() => new LogFiles({ path: t.path, generations: 1, symlink: false, now: () => 0 }), /exists already/);
  } finally {
    t.cleanup();
  }
});
