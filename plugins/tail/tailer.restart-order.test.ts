/**
 * A restarted collector that is behind (rename rotation went on while it was down) must read the
 * rotated files that rotation deletes next before the newest file: the glob lists `app.log` first,
 * and reading it first let the writer delete `app.log.2` (then a kill lost its unread rest).
 * Reproduces the loss seen in tests/collector-restart.test.ts step by step, with no kill timing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import type { SavedFile } from "./checkpoint.ts";
import { compileGlob } from "./glob.ts";
import { fingerprint } from "./identity.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

const line = (n: number) => JSON.stringify({ n, msg: `line ${n}`, pad: "x".repeat(n % 40) });
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${line(from + i)}\n`).join("");

function setup(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "logsim-restart-order-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What an earlier run saved for `path`: acked to `offset`, its first bytes as they are. */
function savedAt(path: string, offset: number): SavedFile {
  const stat = statSync(path);
  const file = nodeFileSystem.openRead(path);
  try {
    return { path, dev: stat.dev, ino: stat.ino, fingerprint: fingerprint(file, stat.size), offset, read: offset, size: stat.size };
  } finally {
    file.close();
  }
}

/** Rotated files as a rename rotation leaves them, oldest first, each modified later than the one before. */
function rotatedLogs(dir: string): { oldest: string; middle: string; newest: string; midOldest: number } {
  const [oldest, middle, newest] = ["app.log.2", "app.log.1", "app.log"].map((name) => join(dir, name)) as [string, string, string];
  writeFileSync(oldest, lines(1, 200));
  writeFileSync(middle, lines(201, 400));
  writeFileSync(newest, lines(401, 600));
  const base = Date.now() / 1000 - 60;
  [oldest, middle, newest].forEach((path, i) => utimesSync(path, base + i, base + i));
  return { oldest, middle, newest, midOldest: Buffer.byteLength(lines(1, 100)) };
}

const options = (dir: string, saved: SavedFile[]): TailerOptions => ({
  fs: nodeFileSystem, include: [compileGlob(join(dir, "app.log*"), "/")], fromBeginning: true, maxLineBytes: 4096, closeAfterMs: 0, saved, now: () => 0,
});

const numbers = (texts: { text: string }[]) => texts.map((l) => (JSON.parse(l.text) as { n: number }).n);

test("a restarted tailer reads the rotated files oldest first, not in the glob's order (newest first)", (t) => {
  const dir = setup(t);
  const { oldest, middle, newest, midOldest } = rotatedLogs(dir);
  const tailer = new Tailer(options(dir, [savedAt(oldest, midOldest), savedAt(middle, 0), savedAt(newest, 0)]));
  tailer.scan();
  const order: string[] = [];
  for (let i = 0; i < 10; i++) {
    const { lines: read, marks } = tailer.read(50, 1 << 20);
    if (read.length === 0) break;
    for (const l of read) if (order.at(-1) !== l.origin!.file) order.push(l.origin!.file!);
    tailer.ack(marks);
  }
  tailer.close();
  assert.deepEqual(order, [oldest, middle, newest]);
});

test("kill -9 after a restart's first batch, then the next rotation deletes the oldest file: its rest was read first, nothing is lost", (t) => {
  const dir = setup(t);
  const { oldest, middle, newest, midOldest } = rotatedLogs(dir);
  // Run 2 starts behind: app.log.2 acked to line 100, the two newer files not at all.
  const second = new Tailer(options(dir, [savedAt(oldest, midOldest), savedAt(middle, 0), savedAt(newest, 0)]));
  second.scan();
  const first = second.read(100, 64 * 1024);
  second.ack(first.marks); // The sinks wrote the first batch and the positions were saved ...
  const saved = second.saved();
  second.close(); // ... then kill -9, and the writer's next rotation deletes app.log.2.
  rmSync(oldest);
  const third = new Tailer(options(dir, saved));
  third.scan();
  const rest: number[] = [];
  for (let i = 0; i < 100; i++) {
    const { lines: read, marks } = third.read(100, 64 * 1024);
    if (read.length === 0) break;
    rest.push(...numbers(read));
    third.ack(marks);
  }
  third.close();
  const delivered = new Set([...numbers(first.lines), ...rest]);
  const missing = Array.from({ length: 500 }, (_, i) => i + 101).filter((n) => !delivered.has(n));
  assert.deepEqual(missing, [], `lines never delivered: ${missing.length}`);
  assert.equal(third.stats.missingFiles, 1, "app.log.2 is gone (read to its end before: nothing of it lost)");
});

test("a saved file with nothing acked, replaced while the collector was down, is reported lost (not silently read from 0)", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, lines(1, 100));
  const saved = { ...savedAt(path, 0), read: 3000 }; // Read, in flight at the kill, never acked.
  writeFileSync(path, lines(5001, 5010)); // Same inode (rewritten in place, or the inode reused): other content.
  const tailer = new Tailer(options(dir, [saved]));
  tailer.scan();
  tailer.close();
  assert.equal(tailer.stats.truncatedWhileDown, 1);
  assert.match(tailer.problems.join("\n"), /app\.log was truncated or replaced while the collector was down/);
});
