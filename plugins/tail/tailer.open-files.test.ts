/** The tailer's bounded set of open files: files read to their end are closed and reopened by identity; the system's limit lowers the budget. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileSystem } from "../../core/runtime.ts";
import type { RawLine } from "../../core/types.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }, files: number) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-open-files-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `f${i}.log`), `f${i} a\nf${i} b\n`);
  return dir;
}

/** Scans and reads until nothing is left (bounded), acking; checks the budget after every step. */
function drain(t: Tailer, most: number): RawLine[] {
  const out: RawLine[] = [];
  for (let i = 0; i < 10_000; i++) {
    t.scan();
    const { lines, marks } = t.read(7, 1 << 20);
    assert.ok(t.openFiles <= most, `${t.openFiles} files open`);
    out.push(...lines);
    t.ack(marks);
    if (lines.length === 0 && t.caughtUp) return out;
  }
  throw new Error("drain did not end");
}

const opts = (dir: string, fs: FileSystem, extra: Partial<TailerOptions> = {}): TailerOptions => ({ fs, include: [compileGlob("*.log", dir)], maxLineBytes: 1024, fromBeginning: true, closeAfterMs: 0, ...extra });

test("maxOpenFiles: 40 files through 5 handles, every line once; a closed file that grows or is renamed is reopened by identity", (t) => {
  const dir = setup(t, 40);
  const tl = new Tailer(opts(dir, nodeFileSystem, { maxOpenFiles: 5 }));
  const first = drain(tl, 5).map((l) => l.text).sort();
  assert.equal(first.length, 80);
  assert.equal(new Set(first).size, 80);
  assert.ok(tl.stats.filesParked > 0);
  assert.equal(tl.stats.deferredFiles, 0);
  appendFileSync(join(dir, "f3.log"), "f3 c\n");
  appendFileSync(join(dir, "f30.log"), "f30 c\n");
  renameSync(join(dir, "f30.log"), join(dir, "f30.old")); // renamed out of the glob while closed: found beside its path
  const more = drain(tl, 5).map((l) => l.text).sort();
  assert.deepEqual(more, ["f3 c", "f30 c"]);
  assert.equal(tl.saved().filter((f) => !f.path.endsWith(".old")).length, 39);
  tl.close();
  assert.equal(tl.openFiles, 0);
});

test("the system's limit (EMFILE) below maxOpenFiles: the budget drops with room to spare, nothing is lost", (t) => {
  const dir = setup(t, 100);
  let open = 0;
  const LIMIT = 60;
  const fs: FileSystem = {
    ...nodeFileSystem,
    openRead(path) {
      if (open >= LIMIT) throw Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
      const file = nodeFileSystem.openRead(path);
      open++;
      return { ...file, close: () => (open--, file.close()) };
    },
  };
  const tl = new Tailer(opts(dir, fs, { maxOpenFiles: 1000 }));
  const lines = drain(tl, LIMIT).map((l) => l.text);
  assert.equal(new Set(lines).size, 200);
  assert.equal(lines.length, 200);
  assert.ok(tl.openFiles <= LIMIT - 32, `${tl.openFiles} open: room kept for state saves`);
  assert.equal(tl.problems.length, 0, "EMFILE is not a file that cannot be read");
  tl.close();
});

test("files waiting for a handle are each opened once a scan to be judged, not once for every file open beside them", (t) => {
  const dir = setup(t, 200);
  const opens = new Map<string, number>();
  const fs: FileSystem = {
    ...nodeFileSystem,
    openRead(path) {
      opens.set(path, (opens.get(path) ?? 0) + 1);
      return nodeFileSystem.openRead(path);
    },
  };
  const tl = new Tailer(opts(dir, fs, { maxOpenFiles: 50 }));
  tl.scan(); // 50 files open (some not read yet), 150 waiting
  opens.clear();
  tl.scan();
  const most = Math.max(...opens.values());
  // Each waiting file is compared with the first bytes of the 50 open ones: it was opened 50 times a scan (5,000 files: 92 s with 256 descriptors).
  assert.ok(most <= 2, `a file opened ${most} times in one scan`);
  const lines = drain(tl, 50).map((l) => l.text);
  assert.equal(lines.length, 400);
  assert.equal(new Set(lines).size, 400);
  tl.close();
});
