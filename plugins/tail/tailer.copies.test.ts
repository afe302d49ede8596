/** The tailer and files that are the same file under another name: copytruncate copies (live and while down), files that come back. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
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

test("live copytruncate with the copy under the glob: the copy is continued from the read position, never read from 0", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir, "app.log*");
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
    if (cycle % 3 !== 2) tl.scan(); // the scan sees the copy before the truncation, or not
    truncateSync(path, 0);
    tl.scan();
    got.push(...drain(tl).map((l) => l.text));
    clock.ms += 2000;
  }
  tl.scan();
  got.push(...drain(tl).map((l) => l.text));
  assert.deepEqual(numbers(got).sort((a, b) => a - b), range(1, n));
  assert.equal(tl.stats.bytesLost, 0);
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
