/** Matching the positions saved by an earlier run to the files there now: own inode, a copy beside it, the inode moved, or lost. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { trackedFile } from "./_test-helpers.ts";
import type { SavedFile } from "./checkpoint.ts";
import { fileKey, fingerprint } from "./identity.ts";
import { SavedPositions, type OpenFile, type Seen } from "./restart.ts";
import { createStats } from "./tail-stats.ts";
import type { Tracked } from "./tracked.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-restart-"));
  const files = new Map<string, Tracked>();
  t.after(() => {
    for (const f of files.values()) f.file?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const opened: { path: string; state: string; from: SavedFile | undefined }[] = [];
  /** The tailer's open, reduced to following the file from 0. */
  const open: OpenFile = (path, _first, state, from) => {
    opened.push({ path, state, from });
    const t = trackedFile(path, nodeFileSystem.openRead(path), 0);
    files.set(t.key, t);
    return true;
  };
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  /** What a run that read `name` to `offset` saved. */
  const save = (name: string, offset: number, extra: Partial<SavedFile> = {}): SavedFile => {
    const path = join(dir, name);
    const file = nodeFileSystem.openRead(path);
    const stat = file.stat();
    const saved = { path, dev: stat.dev, ino: stat.ino, fingerprint: fingerprint(file, stat.size), offset, read: offset, ...extra };
    file.close();
    return saved;
  };
  const seen = (...paths: string[]): Seen => new Map(paths.map((path) => [fileKey(nodeFileSystem.stat(path)!), { path, stat: nodeFileSystem.stat(path)! }]));
  return { dir, files, opened, open, write, save, seen };
}

test("a saved file whose inode was truncated while down resumes at its saved offset in the copy beside it", (t) => {
  const { dir, files, opened, open, write, save, seen } = setup(t);
  const app = write("app.log", "a\nb\nc\n");
  const saved = save("app.log", 4);
  copyFileSync(app, join(dir, "app.log.1"));
  writeFileSync(app, "new\n"); // copytruncate, then a new line
  const stats = createStats();
  const positions = new SavedPositions(nodeFileSystem, [saved], files, stats, []);
  assert.equal(positions.resumeCopies(seen(app, join(dir, "app.log.1")), open), true);
  assert.deepEqual(opened, [{ path: join(dir, "app.log.1"), state: "rotated", from: saved }]);
  assert.equal(files.get(fileKey(nodeFileSystem.stat(join(dir, "app.log.1"))!))?.copy, true);
  assert.equal(stats.copiesFollowed, 1);
  assert.ok(positions.foundInCopy(fileKey(saved)), "its own inode holding other content is then no loss");
});

test("a saved file still holding what was read resumes in its own inode, even with a copy beside it", (t) => {
  const { dir, files, opened, open, write, save, seen } = setup(t);
  const app = write("app.log", "a\nb\nc\n");
  const saved = save("app.log", 4);
  copyFileSync(app, join(dir, "app.log.1"));
  const positions = new SavedPositions(nodeFileSystem, [saved], files, createStats(), []);
  assert.equal(positions.resumeCopies(seen(app, join(dir, "app.log.1")), open), false);
  assert.deepEqual(opened, []);
  assert.ok(positions.holds(app, saved));
  assert.equal(positions.get(fileKey(saved)), saved);
});

test("at the end of the first scan, a saved file rotated while down is found beside its path; one deleted is reported lost; matching ends", (t) => {
  const { dir, files, opened, open, write, save } = setup(t);
  write("rotated.log", "r\n");
  write("deleted.log", "d\n");
  const rotated = save("rotated.log", 2);
  const deleted = save("deleted.log", 1);
  renameSync(join(dir, "rotated.log"), join(dir, "rotated.log.1"));
  unlinkSync(join(dir, "deleted.log"));
  const stats = createStats();
  const problems: string[] = [];
  const positions = new SavedPositions(nodeFileSystem, [rotated, deleted], files, stats, problems);
  assert.ok(positions.pending);
  assert.equal(positions.finish(() => false, open), true);
  assert.deepEqual(opened.map((o) => [o.path, o.state]), [[join(dir, "rotated.log.1"), "rotated"]]);
  assert.equal(stats.missingFiles, 1);
  assert.match(problems.join("\n"), /deleted\.log was saved at byte 1 and is gone/);
  assert.equal(positions.pending, false);
  assert.equal(positions.get(fileKey(rotated)), undefined);
});

test("a file waiting as a copy, or already followed, is not looked for at the end of the first scan", (t) => {
  const { files, opened, open, write, save } = setup(t);
  write("a.log", "a\n");
  const saved = save("a.log", 2);
  const positions = new SavedPositions(nodeFileSystem, [saved], files, createStats(), []);
  assert.equal(positions.finish((key) => key === fileKey(saved), open), false);
  assert.deepEqual(opened, []);
});

test("a saved copy overwritten by the next copy while down: what it held unread is counted lost, exactly; a saved file replaced by a copy is truncated while down", (t) => {
  const { dir, files, write, save, seen } = setup(t);
  write("app.log.1", "old copy, read to byte 4 of 20\n");
  const copy = save("app.log.1", 4, { copy: true, size: 20 });
  write("app.log.1", "the next copy\n"); // same inode, other content
  write("b.log", "bbbb\n");
  const replaced = save("b.log", 5);
  const stats = createStats();
  const problems: string[] = [];
  const positions = new SavedPositions(nodeFileSystem, [copy, replaced], files, stats, problems);
  positions.resumeCopies(seen(join(dir, "app.log.1"), join(dir, "b.log")), () => assert.fail("nothing to open"));
  assert.equal(stats.bytesLost, 16);
  assert.match(problems.join("\n"), /a copy read to byte 4 of 20, was overwritten by the next copy .*: 16 bytes of it were never read/);
  assert.equal(positions.has(fileKey(copy)), false, "no longer that saved file");
  positions.replacedWhileDown(replaced, join(dir, "b.log"));
  assert.equal(stats.truncatedWhileDown, 1);
  assert.equal(positions.has(fileKey(replaced)), false);
});
