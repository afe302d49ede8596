/**
 * Races between the tailer and a copytruncate it cannot see happen: the file truncated and written
 * again between two system calls of one read, and the copy seen before its bytes are in it. Both
 * were seen under load in tests/chaos-collect.test.ts (lines lost, lines written twice).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileSystem } from "../../core/mod.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { compileGlob } from "./glob.ts";
import { FINGERPRINT_BYTES } from "./identity.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-race-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, path: join(dir, "app.log") };
}

/** As `logsim collect -i app.log -i 'app.log.[0-9]*' --from-beginning` follows them. */
const tailer = (path: string, fs: FileSystem = nodeFileSystem, extra: Partial<TailerOptions> = {}) =>
  new Tailer({ fs, include: [compileGlob(path, "/"), compileGlob(`${path}.[0-9]*`, "/")], maxLineBytes: 4096, closeAfterMs: 1000, fromBeginning: true, now: () => 0, ...extra });

/** Lines of about 450 bytes, as `logsim chaos` writes: 3 are past the fingerprint's 1 KiB. */
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i} ${"x".repeat(440)}\n`).join("");
const numbers = (texts: string[]) => texts.map((s) => Number(s.split(" ")[1])).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Reads and acks until nothing comes, scanning before each read as the collector does; bounded. */
function drain(t: Tailer): string[] {
  const out: string[] = [];
  for (let i = 0; i < 100; i++) {
    t.scan();
    const { lines, marks } = t.read(1000, 1 << 20);
    t.ack(marks);
    out.push(...lines.map((l) => l.text));
    if (lines.length === 0 && i > 2) return out;
  }
  throw new Error("drain did not end");
}

/**
 * The file system, with `before` run once just before the first read of more than the fingerprint's
 * bytes (a chunk of lines), or with `afterChunk` just before the first read of at most that many that
 * follows one (a look at the first bytes).
 */
function slowBetweenCalls(before: () => void, afterChunk = false): FileSystem & { arm(): void } {
  let armed = false;
  let chunkRead = false;
  const fs: FileSystem = {
    ...nodeFileSystem,
    openRead(path) {
      const file = nodeFileSystem.openRead(path);
      return {
        ...file,
        read(buffer, position) {
          const chunk = buffer.length > FINGERPRINT_BYTES;
          if (armed && chunk === !afterChunk && (!afterChunk || chunkRead)) (armed = false), before();
          if (armed && chunk) chunkRead = true;
          return file.read(buffer, position);
        },
      };
    },
  };
  return Object.assign(fs, { arm: () => (armed = true) });
}

for (const readBefore of [false, true]) {
  test(`copytruncate and new lines between the look before a read and the read (${readBefore ? "some" : "none"} of the old lines read before): the new lines are not taken for the rest of the old ones`, (t) => {
    const { path } = setup(t);
    writeFileSync(path, "");
    const fs = slowBetweenCalls(() => {
      // The collector is held up (a loaded machine) after it looked at app.log and before it read it.
      copyFileSync(path, `${path}.1`);
      truncateSync(path, 0);
      appendFileSync(path, lines(15, 29));
    });
    const tail = tailer(path, fs, { chunkBytes: 2048 });
    tail.scan();
    appendFileSync(path, lines(1, 10));
    const read: string[] = [];
    if (readBefore) {
      const first = tail.read(1000, 1); // One chunk: lines 1-4.
      tail.ack(first.marks);
      read.push(...first.lines.map((l) => l.text));
      assert.ok(read.length > 0 && read.length < 10, `${read.length} lines read before`);
    } else tail.scan(); // It saw lines 1-10 (and fingerprinted them) but had no time to read them.
    appendFileSync(path, lines(11, 14)); // The file changed since the last look: the next read checks its first bytes.
    fs.arm();
    const armed = tail.read(1000, 1 << 20);
    tail.ack(armed.marks);
    read.push(...armed.lines.map((l) => l.text), ...drain(tail));
    assert.deepEqual(numbers(read), range(1, 29), "every line once: the rest of 1-14 from the copy, 15-29 from app.log");
    assert.equal(tail.stats.copiesFollowed, 1);
    assert.equal(tail.stats.bytesLost, 0);
    tail.close();
  });
}

test("copytruncate and new lines between the first read of a young file and the look at its first bytes: its fingerprint is not taken from the new lines", (t) => {
  const { path } = setup(t);
  writeFileSync(path, "");
  const fs = slowBetweenCalls(() => {
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, lines(15, 39));
  }, true);
  const tail = tailer(path, fs); // app.log was empty when opened: its fingerprint is still to be taken.
  tail.scan();
  appendFileSync(path, lines(1, 14));
  fs.arm();
  const armed = tail.read(1000, 1 << 20); // No scan since the lines came: the read is the first look at them.
  tail.ack(armed.marks);
  const read = [...armed.lines.map((l) => l.text), ...drain(tail)];
  assert.deepEqual(numbers(read), range(1, 39), "every line once: 1-14 from the copy, 15-39 from app.log");
  assert.equal(tail.stats.copiesFollowed, 1);
  tail.close();
});

test("copytruncate between the look and the read of a file that had not changed: the new lines, shorter than the chunk asked for, are not taken for the rest of the old ones", (t) => {
  const { path } = setup(t);
  writeFileSync(path, "");
  const fs = slowBetweenCalls(() => {
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, lines(15, 20)); // Past the read position (one chunk), short of where the next chunk ends.
  });
  const tail = tailer(path, fs, { chunkBytes: 2048 });
  tail.scan();
  appendFileSync(path, lines(1, 14));
  const first = tail.read(1000, 1); // One chunk: lines 1-4. The file does not change after this look...
  tail.ack(first.marks);
  fs.arm(); // ...until the next read has looked at it (unchanged: no check of its first bytes) and before it reads.
  const armed = tail.read(1000, 1 << 20);
  tail.ack(armed.marks);
  const read = [...first.lines, ...armed.lines].map((l) => l.text).concat(drain(tail));
  assert.deepEqual(numbers(read), range(1, 20), "every line once: the rest of 1-14 from the copy, 15-20 from app.log");
  assert.equal(tail.stats.copiesFollowed, 1);
  tail.close();
});

for (const look of ["none", "read", "scan"] as const) {
  test(`a copy seen empty (cp has created it, not filled it yet), then filled (${look} before the truncate): not read from 0 as a new file`, (t) => {
    const { path } = setup(t);
    writeFileSync(path, "");
    const tail = tailer(path);
    tail.scan();
    appendFileSync(path, lines(1, 14));
    const read = drain(tail);
    appendFileSync(path, lines(15, 16)); // Not read before the copy: the copy has them.
    writeFileSync(`${path}.1`, "");
    tail.scan();
    appendFileSync(`${path}.1`, readFileSync(path));
    if (look === "read") {
      const { lines, marks } = tail.read(1000, 1 << 20);
      tail.ack(marks);
      read.push(...lines.map((l) => l.text));
    }
    if (look === "scan") tail.scan();
    truncateSync(path, 0);
    appendFileSync(path, lines(17, 20));
    read.push(...drain(tail));
    assert.deepEqual(numbers(read), range(1, 20), "every line once");
    assert.equal(tail.stats.copiesFollowed, 1);
    assert.equal(tail.stats.bytesLost, 0);
    tail.close();
  });
}

test("a rename rotation between the listing and the look at each name, while the truncated file looks for its copy: the copy, found at the next scan, is continued from where the file had been read", (t) => {
  const { path } = setup(t);
  writeFileSync(path, "");
  let rotateAfterListing = false;
  const fs: FileSystem = {
    ...nodeFileSystem,
    readDir(dir) {
      const names = nodeFileSystem.readDir(dir);
      if (rotateAfterListing) {
        rotateAfterListing = false;
        renameSync(`${path}.1`, `${path}.2`); // The copy leaves the name listed...
        renameSync(path, `${path}.1`); // ...which the truncated file takes.
        writeFileSync(path, "");
      }
      return names;
    },
  };
  const tail = tailer(path, fs);
  tail.scan();
  appendFileSync(path, lines(1, 14));
  const read = drain(tail);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(15, 39));
  rotateAfterListing = true;
  const armed = tail.read(1000, 1 << 20); // The truncation is noticed here: its copy is looked for in a listing the rotation outdates.
  tail.ack(armed.marks);
  read.push(...armed.lines.map((l) => l.text), ...drain(tail));
  assert.equal(rotateAfterListing, false, "the rotation happened during the look for the copy");
  assert.deepEqual(numbers(read), range(1, 39), "every line once");
  tail.close();
});

test("a file truncated, written again and renamed away before it was read, while a new file takes its name: its new lines are read, not taken for a copy of the new file (found by the model test)", (t) => {
  const { path } = setup(t);
  // Only the live name is followed: the renamed file is followed by its identity.
  const tl = tailer(path, nodeFileSystem, { include: [compileGlob(path, "/")] });
  writeFileSync(path, "");
  tl.scan();
  appendFileSync(path, "line 1 x\n");
  tl.scan();
  truncateSync(path, 0); // line 1, never read, is gone
  appendFileSync(path, "line 2 xx\n");
  renameSync(path, `${path}.1`);
  writeFileSync(path, "line 3 xxx\n");
  // Before the fix, the renamed file's first bytes were compared by name, so the new app.log (the file
  // now under that name) looked like the source it was a copy of, and line 2 was dropped.
  assert.deepEqual(numbers(drain(tl)), [2, 3]);
  assert.equal(tl.stats.bytesLost, "line 1 x\n".length);
  tl.close();
});

test("a file deleted while still empty, saved at a restart: no file beside it is taken for its copy (found by the model test, on Bun)", (t) => {
  const { dir, path } = setup(t);
  const tl = tailer(path, nodeFileSystem, { include: [compileGlob(path, "/")] });
  writeFileSync(path, "");
  tl.scan();
  rmSync(path);
  writeFileSync(path, "");
  tl.scan(); // The deleted app.log, empty, is still followed (through its handle) and saved with no first bytes.
  writeFileSync(join(dir, "other.log"), "other 1 x\nother 2 xx\n"); // Beside it, not under the glob.
  const saved = tl.saved();
  assert.ok(saved.some((f) => f.fingerprint.length === 0 && nodeFileSystem.stat(path)?.ino !== f.ino), "the deleted file is saved");
  tl.close();
  const again = tailer(path, nodeFileSystem, { include: [compileGlob(path, "/")], saved });
  // Before the fix, every file beside it "started with its first bytes" (none): other.log, or app.log itself,
  // was taken for its copy and read from 0 (a file never asked for, or app.log's lines already acked).
  assert.deepEqual(drain(again), []);
  assert.equal(again.stats.copiesFollowed, 0);
  assert.deepEqual(again.files().map((f) => [f.path, f.state]), [[path, "active"]]);
  appendFileSync(path, "line 1 x\n");
  assert.deepEqual(numbers(drain(again)), [1]);
  again.close();
});

/** The file system with every modification time `mtimeMs`: a file system whose times are coarser than the changes (Deno's whole ms, HFS+'s seconds). */
function frozenTimes(mtimeMs: number, readsAt: Array<{ at: number; length: number }> = []): FileSystem {
  const frozen = <T extends { mtimeMs: number } | undefined>(stat: T): T => (stat ? { ...stat, mtimeMs } : stat);
  return {
    ...nodeFileSystem,
    stat: (path) => frozen(nodeFileSystem.stat(path)),
    openRead(path) {
      const file = nodeFileSystem.openRead(path);
      return { read: (buffer, position) => (readsAt.push({ at: position, length: buffer.length }), file.read(buffer, position)), stat: () => frozen(file.stat()), close: () => file.close() };
    },
  };
}

test("a copytruncate refilled to the same size between two reads, within the modification time's granularity: the rest comes from the copy, the new lines from 0 (found by the model test, on Deno)", (t) => {
  const { path } = setup(t);
  writeFileSync(path, lines(10, 19));
  const tl = tailer(path, frozenTimes(1_000_000), { chunkBytes: 1000, wallNow: () => 1_000_500 });
  tl.scan();
  const read = tl.read(1, 1 << 20); // lines 10 and 11, of a chunk
  tl.ack(read.marks);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, lines(20, 29)); // the same size, and (coarse) the same modification time
  const out = read.lines.map((l) => l.text);
  // Reads with no scan between (a scan looks at the first bytes): before the fix, they went on at the
  // old position in the new content (lines 22-29 for the rest of 10-19) and the copy waited for ever.
  for (let i = 0; i < 100; i++) {
    const more = tl.read(1000, 1 << 20);
    tl.ack(more.marks);
    out.push(...more.lines.map((l) => l.text));
    if (more.lines.length === 0) break;
  }
  out.push(...drain(tl));
  assert.deepEqual(numbers(out), range(10, 29));
  tl.close();
});

test("a backlog whose modification time is older than its granularity is read without looking at its first bytes again", (t) => {
  const { path } = setup(t);
  writeFileSync(path, lines(10, 19));
  const readsAt: Array<{ at: number; length: number }> = [];
  const tl = tailer(path, frozenTimes(1_000_000, readsAt), { chunkBytes: 1000, wallNow: () => 1_010_000 });
  tl.scan();
  readsAt.length = 0;
  const out: string[] = [];
  for (let i = 0; i < 100 && out.length < 10; i++) out.push(...tl.read(1, 1 << 20).lines.map((l) => l.text));
  assert.deepEqual(numbers(out), range(10, 19));
  // The first bytes (a fingerprint: 1 KiB at 0) are not read again (the racy check would read them before every
  // chunk); the reads at 0 are the first chunk's and the hash of the bytes before the first batch's end (lastBytes).
  const shown = readsAt.map((r) => `${r.length}@${r.at}`).join(", ");
  assert.equal(readsAt.filter((r) => r.at === 0 && r.length === FINGERPRINT_BYTES).length, 0, `reads: ${shown}`);
  assert.ok(readsAt.length >= 4);
  tl.close();
});
