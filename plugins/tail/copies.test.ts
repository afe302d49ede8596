/** copytruncate copy detection alone: which new files are copies of a followed file, when they wait, and the copy found at a truncation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { trackedFile } from "./_test-helpers.ts";
import { Copies } from "./copies.ts";
import { fileKey, fingerprint } from "./identity.ts";
import { OpenFiles } from "./open-files.ts";
import { createStats } from "./tail-stats.ts";
import type { Tracked } from "./tracked.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-copies-"));
  const files = new Map<string, Tracked>();
  const handles = new OpenFiles(nodeFileSystem, 100, files, createStats());
  t.after(() => {
    for (const f of files.values()) handles.release(f);
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  /** Follows `name` (written with `text`), read to `readTo` (default: its end). */
  const follow = (name: string, text: string, readTo?: number): Tracked => {
    const path = write(name, text);
    const t = trackedFile(path, nodeFileSystem.openRead(path), readTo);
    files.set(t.key, t);
    return t;
  };
  const keyOf = (path: string) => fileKey(nodeFileSystem.stat(path)!);
  return { dir, files, handles, copies: new Copies(nodeFileSystem, files, handles), write, follow, keyOf };
}

/** What the tailer does to a followed file it finds truncated: a new generation, read again from 0. */
function truncated(t: Tracked, text: string): void {
  writeFileSync(t.path, text); // same inode
  t.gen++;
  t.fp = fingerprint(t.file!, text.length);
}

test("a new file with a followed file's first bytes waits for its truncation, then opens where that file had been read", (t) => {
  const { dir, copies, write, follow, keyOf } = setup(t);
  const app = follow("app.log", "a\nb\nc\n");
  copyFileSync(app.path, join(dir, "app.log.1"));
  const copyKey = keyOf(join(dir, "app.log.1"));
  assert.equal(copies.judge(copyKey, join(dir, "app.log.1")), "waits");
  assert.ok(copies.waits(copyKey));
  assert.equal(copies.judge(keyOf(write("other.log", "z\n")), join(dir, "other.log")), undefined, "other first bytes: not a copy");
  // Truncated without the copy being adopted (say no handle was free): the copy is read from where app.log had been read.
  const readWhenCopied = app.fp;
  truncated(app, "new\n");
  const from = copies.judge(copyKey, join(dir, "app.log.1"));
  assert.ok(from && from !== "waits");
  assert.equal(from.offset, 6);
  assert.deepEqual(from.fingerprint, readWhenCopied);
  assert.equal(copies.waits(copyKey), false);
});

test("a waiting copy cut shorter than the read position (its first bytes intact) opens at its end; one no longer seen stops waiting", (t) => {
  const { dir, copies, follow, keyOf } = setup(t);
  const app = follow("app.log", `${"x".repeat(1999)}\n`); // longer than the fingerprint
  copyFileSync(app.path, join(dir, "app.log.1"));
  const copyKey = keyOf(join(dir, "app.log.1"));
  assert.equal(copies.judge(copyKey, join(dir, "app.log.1")), "waits");
  truncateSync(join(dir, "app.log.1"), 1500);
  truncated(app, "new\n");
  const from = copies.judge(copyKey, join(dir, "app.log.1"));
  assert.ok(from && from !== "waits");
  assert.equal(from.offset, 1500);
  copyFileSync(app.path, join(dir, "app.log.2"));
  const second = keyOf(join(dir, "app.log.2"));
  assert.equal(copies.judge(second, join(dir, "app.log.2")), "waits");
  copies.keepOnly(new Map());
  assert.equal(copies.waits(second), false);
});

test("copyOf learns the first bytes of a file opened empty, so a copy made since is known as one", (t) => {
  const { dir, copies, follow } = setup(t);
  const app = follow("app.log", "", 0);
  assert.equal(app.fp.length, 0);
  writeFileSync(app.path, "hello\nworld\n");
  copyFileSync(app.path, join(dir, "app.log.1"));
  const match = copies.copyOf(join(dir, "app.log.1"));
  assert.equal(match?.of, app);
  assert.equal(app.fp.length, 12);
  assert.equal(copies.copyOf(join(dir, "app.log.1"), app), undefined, "never a copy of itself");
});

test("at a truncation, find opens the copy: same first bytes, at least as long as what was read; not a shorter file nor a file of its own", (t) => {
  const { dir, handles, copies, write, follow } = setup(t);
  const app = follow("app.log", "line1\nline2\n");
  write("short.log", "line1\n");
  follow("own.log", "line1\nline2\nmore\n"); // followed, holding what it held: same first bytes, not a copy
  copyFileSync(app.path, join(dir, "app.log.1"));
  const before = handles.count;
  writeFileSync(app.path, "");
  const found = copies.find(app);
  assert.equal(found?.path, join(dir, "app.log.1"));
  assert.equal(found.earlier, undefined);
  assert.equal(handles.count, before + 1, "the copy's handle, and no other, is held");
  handles.close(found.file);
  writeFileSync(app.path, "");
  writeFileSync(join(dir, "app.log.1"), "other\n");
  assert.equal(copies.find(app), undefined, "no copy beside it any more");
  assert.equal(handles.count, before, "handles of files looked at and rejected are closed");
});

test("a copy written over an earlier copy followed under the same name is found with it as `earlier`", (t) => {
  const { dir, copies, follow } = setup(t);
  const old = follow("app.log.1", "old1\nold2\n");
  old.state = "rotated";
  old.copy = true;
  const app = follow("app.log", "new1\nnew2\nnew3\n");
  copyFileSync(app.path, join(dir, "app.log.1")); // same inode as `old`
  writeFileSync(app.path, "");
  const found = copies.find(app);
  assert.equal(found?.earlier, old);
  found.file.close();
});
