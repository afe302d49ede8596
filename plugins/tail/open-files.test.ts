/** The bounded open-file set alone: which files are parked to make room, the system's limit, reopening by identity, waiting files. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileSystem } from "../../core/mod.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { trackedFile } from "./_test-helpers.ts";
import { fileKey } from "./identity.ts";
import { DESCRIPTOR_HEADROOM, OpenFiles } from "./open-files.ts";
import { createStats } from "./tail-stats.ts";
import type { Tracked } from "./tracked.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-open-files-unit-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The set, its files (by key, oldest first, as the tailer keeps them) and a way to follow a new file through it. */
function openSet(fs: FileSystem, max: number) {
  const files = new Map<string, Tracked>();
  const stats = createStats();
  const set = new OpenFiles(fs, max, files, stats);
  /** Opens `path` through the set and follows it, read up to `readTo` (default: its end). */
  const follow = (path: string, readTo?: number): Tracked => {
    const file = set.open(path);
    assert.ok(file !== "full" && !(file instanceof Error), `no handle for ${path}: ${String(file)}`);
    const t = trackedFile(path, file, readTo);
    files.set(t.key, t);
    return t;
  };
  return { set, files, stats, follow };
}

function write(dir: string, name: string, text = `${name}\n`): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

test("past the budget the oldest file read to its end is parked; files with bytes left, rotated files and copies are not", (t) => {
  const dir = setup(t);
  const { set, stats, follow } = openSet(nodeFileSystem, 4);
  const unread = follow(write(dir, "unread.log"), 0); // bytes left to read
  const rotated = follow(write(dir, "rotated.log"));
  rotated.state = "rotated";
  const copy = follow(write(dir, "copy.log"));
  copy.copy = true;
  const drained = follow(write(dir, "drained.log"));
  assert.equal(set.count, 4);
  const fifth = follow(write(dir, "fifth.log"));
  assert.equal(set.count, 4);
  assert.deepEqual([unread, rotated, copy, drained, fifth].map((f) => f.parked === true), [false, false, false, true, false]);
  assert.equal(drained.file, undefined);
  assert.equal(drained.stale, false, "read to its end: nothing to reopen it for yet");
  assert.equal(stats.filesParked, 1);
  // The only file that could be parked is the one the handle is for: nothing fits.
  assert.equal(set.open(write(dir, "sixth.log"), fifth), "full");
  assert.equal(set.count, 4);
});

test("shed: a refused descriptor elsewhere parks files, those with bytes left too (marked stale, to be reopened)", (t) => {
  const dir = setup(t);
  const { set, stats, follow } = openSet(nodeFileSystem, 1000);
  const files = Array.from({ length: DESCRIPTOR_HEADROOM + 3 }, (_, i) => follow(write(dir, `f${i}.log`), i % 2 === 0 ? 0 : undefined));
  set.shed();
  assert.equal(set.max, 3);
  assert.equal(set.count, 2, "one under the budget, so the next open fits");
  const parked = files.filter((f) => f.parked);
  assert.equal(parked.length, DESCRIPTOR_HEADROOM + 1);
  assert.equal(stats.filesParked, parked.length);
  assert.ok(parked.some((f) => f.stale) && parked.some((f) => !f.stale), "files with bytes left are stale, drained ones are not");
  for (const f of parked) assert.equal(f.stale, f.size > f.splitter.next);
});

test("the system's limit (EMFILE) lowers the budget below what is held, with room to spare; other errors are returned", (t) => {
  const dir = setup(t);
  let refuse: string | undefined;
  const fs: FileSystem = {
    ...nodeFileSystem,
    openRead(path) {
      if (refuse) throw Object.assign(new Error(`${refuse}: refused`), { code: refuse });
      return nodeFileSystem.openRead(path);
    },
  };
  const { set, follow } = openSet(fs, 1000);
  for (let i = 0; i < DESCRIPTOR_HEADROOM + 10; i++) follow(write(dir, `f${i}.log`));
  refuse = "EMFILE";
  assert.equal(set.open(write(dir, "more.log")), "full");
  assert.equal(set.max, 10);
  assert.ok(set.count < set.max);
  refuse = "EACCES";
  const error = set.open(join(dir, "more.log"));
  assert.ok(error instanceof Error && (error as { code?: string }).code === "EACCES");
  assert.ok(set.count < set.max, "a failed open holds no handle");
});

test("unpark: reopened at its path, or beside it when renamed, by identity; 'gone' when its inode is nowhere there", (t) => {
  const dir = setup(t);
  const { set, follow } = openSet(nodeFileSystem, 1);
  const a = follow(write(dir, "a.log"));
  const b = follow(write(dir, "b.log")); // parks a
  assert.equal(a.parked, true);
  a.stale = true;
  assert.equal(set.unpark(a), "reopened");
  assert.equal(a.parked, false);
  assert.ok(a.file);
  assert.equal(b.parked, true, "b made room for it");
  renameSync(b.path, join(dir, "b.log.1"));
  write(dir, "b.log", "another file under the old name\n");
  assert.equal(set.unpark(b), "reopened");
  assert.equal(b.path, join(dir, "b.log.1"));
  assert.equal(fileKey(b.file!.stat()), b.key);
  assert.equal(set.count, 1);
  unlinkSync(a.path);
  assert.equal(set.unpark(a), "gone");
  assert.equal(a.parked, false);
  assert.equal(set.count, 1);
});

test("waiting files are counted in deferredFiles; release closes a handle for good", (t) => {
  const dir = setup(t);
  const { set, stats, follow } = openSet(nodeFileSystem, 2);
  set.wait(join(dir, "x.log"), { first: true, state: "active", from: undefined });
  set.wait(join(dir, "y.log"), { first: false, state: "rotated", from: undefined });
  assert.equal(stats.deferredFiles, 2);
  set.waited(join(dir, "x.log"));
  assert.equal(stats.deferredFiles, 1);
  assert.deepEqual([...set.waiting.keys()], [join(dir, "y.log")]);
  const a = follow(write(dir, "a.log"));
  set.release(a);
  assert.equal(a.file, undefined);
  assert.equal(set.count, 0);
  set.release(a);
  assert.equal(set.count, 0, "releasing twice closes once");
});
