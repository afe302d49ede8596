/** The multiline joiner inside the tailer: checkpoints, rotation, restarts, timeouts, limits, batch mode. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import type { RawLine } from "../../core/types.ts";
import { compileGlob } from "./glob.ts";
import { compileMultiline, type MultilineSettings } from "./multiline.ts";
import { Tailer, type TailerOptions } from "./tailer.ts";

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-multiline-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const clock = { ms: 0 };
function tailer(dir: string, ml: Partial<MultilineSettings> = {}, extra: Partial<TailerOptions> = {}): Tailer {
  const multiline = compileMultiline({ modes: ["python"], timeout: 1000, maxLines: 500, maxBytes: 1 << 20, ...ml });
  return new Tailer({ fs: nodeFileSystem, include: [compileGlob("*.log", dir)], maxLineBytes: 1 << 20, closeAfterMs: 0, fromBeginning: true, now: () => clock.ms, multiline, ...extra });
}

function drain(t: Tailer): RawLine[] {
  const out: RawLine[] = [];
  for (let i = 0; i < 10_000; i++) {
    const { lines, marks, bytes } = t.read(100, 1 << 20);
    out.push(...lines);
    t.ack(marks);
    if (lines.length === 0 && bytes === 0) return out;
  }
  throw new Error("drain did not end");
}

const texts = (lines: RawLine[]) => lines.map((l) => l.text);
const TB = ["ERROR app failed", "Traceback (most recent call last):", '  File "a.py", line 1, in <module>', "    f()", "ValueError: bad"];

test("the saved position stops at the first line of an event still held; a restart emits it whole, once", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, `INFO one\n${TB.slice(0, 3).join("\n")}\n`);
  const first = tailer(dir);
  first.scan();
  assert.deepEqual(texts(drain(first)), ["INFO one"]);
  const saved = first.saved();
  assert.equal(saved[0]!.offset, "INFO one\n".length, "before the held traceback");
  first.close(); // kill -9: the held lines were never emitted
  appendFileSync(path, `${TB.slice(3).join("\n")}\nINFO two\n`);
  const second = tailer(dir, {}, { saved });
  second.scan();
  const events = drain(second);
  assert.deepEqual(texts(events), [TB.join("\n")]);
  assert.equal(events[0]!.origin!.offset, "INFO one\n".length, "the event's offset is its first line's");
  assert.equal(second.stats.joinedEvents, 1);
  assert.equal(second.stats.joinedLines, 5);
  clock.ms += 1000;
  assert.deepEqual(texts(drain(second)), ["INFO two"], "the last line leaves at the timeout");
  assert.equal(second.saved()[0]!.offset, `INFO one\n${TB.join("\n")}\nINFO two\n`.length);
  second.close();
});

test("a batch read but not acked replays whole events only", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, `${TB.join("\n")}\n${TB.join("\n")}\nINFO x\n`);
  const first = tailer(dir);
  first.scan();
  const read = first.read(100, 1 << 20);
  assert.deepEqual(texts(read.lines), [TB.join("\n"), TB.join("\n")]);
  first.ack([]); // the sinks never wrote it
  const saved = first.saved();
  assert.equal(saved[0]!.offset, 0);
  first.close();
  const second = tailer(dir, {}, { saved });
  second.scan();
  assert.deepEqual(texts(drain(second)), [TB.join("\n"), TB.join("\n")]);
  second.close();
});

test("rename rotation in the middle of a traceback: the writer finishes it in the renamed file, one event", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir);
  tl.scan();
  appendFileSync(path, `${TB.slice(0, 2).join("\n")}\n`);
  assert.deepEqual(drain(tl), []);
  renameSync(path, `${path}.1`);
  writeFileSync(path, "INFO new file\n");
  tl.scan();
  assert.deepEqual(drain(tl), [], "the new file's line waits for its successor; the traceback waits for its rest");
  appendFileSync(`${path}.1`, `${TB.slice(2).join("\n")}\n`); // the writer still had the old file open
  tl.scan();
  clock.ms += 1000;
  const events = drain(tl);
  assert.deepEqual(texts(events).sort(), [TB.join("\n"), "INFO new file"].sort());
  tl.close();
});

test("two files' events never mix, however the reads interleave", (t) => {
  const dir = setup(t);
  writeFileSync(join(dir, "a.log"), `${TB.slice(0, 3).join("\n")}\n`);
  writeFileSync(join(dir, "b.log"), `${TB.slice(0, 2).join("\n")}\n`);
  const tl = tailer(dir, {}, { chunkBytes: 7 });
  tl.scan();
  assert.deepEqual(drain(tl), []);
  appendFileSync(join(dir, "b.log"), `${TB.slice(2).join("\n")}\n`);
  appendFileSync(join(dir, "a.log"), `${TB.slice(3).join("\n")}\n`);
  assert.deepEqual(drain(tl), [], "both last lines may still have a successor");
  clock.ms += 1000;
  const events = [...drain(tl), ...drain(tl)];
  assert.deepEqual(texts(events), [TB.join("\n"), TB.join("\n")]);
  assert.deepEqual(events.map((e) => e.origin!.file!.slice(-5)).sort(), ["a.log", "b.log"]);
  tl.close();
});

test("10 MB lines inside an event are cut by the splitter, and the event at maxBytes: memory stays bounded", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, "");
  const tl = tailer(dir, { modes: ["java"] }, { maxLineBytes: 256 * 1024 });
  tl.scan();
  const huge = `\tat Big.frame(${"x".repeat(10 * 1024 * 1024)})`;
  const cut = huge.slice(0, 256 * 1024);
  for (const text of ["java.lang.Error: x\n\tat A.a(A.java:1)\n", ...Array.from({ length: 5 }, () => `${huge}\n`), "\tat B.b(B.java:2)\nINFO after\n"]) appendFileSync(path, text);
  const events = drain(tl);
  clock.ms += 1000;
  events.push(...drain(tl));
  assert.deepEqual(events.map((e) => e.text), [
    ["java.lang.Error: x", "\tat A.a(A.java:1)", cut, cut, cut].join("\n"), // a 4th line would pass 1 MiB
    [cut, cut, "\tat B.b(B.java:2)"].join("\n"),
    "INFO after",
  ]);
  assert.deepEqual(events.map((e) => e.truncated ?? false), [true, true, false]);
  assert.equal(tl.stats.truncatedLines, 5);
  assert.equal(tl.stats.cutEvents, 1);
  tl.close();
});

test("batch mode's end: held events leave with marks; an unfinished last line and its event wait for the next run, which emits them once, whole", (t) => {
  const dir = setup(t);
  const path = join(dir, "app.log");
  writeFileSync(path, `INFO one\n${TB.join("\n")}\n${TB.slice(0, 4).join("\n")}\nValueError: no newline`);
  const tl = tailer(dir);
  tl.scan();
  assert.deepEqual(texts(drain(tl)), ["INFO one", TB.join("\n")]);
  const rest = tl.unfinished();
  assert.deepEqual(rest.lines, [], "neither the unfinished line nor its event leaves");
  tl.ack(rest.marks);
  const saved = tl.saved();
  assert.equal(saved[0]!.offset, `INFO one\n${TB.join("\n")}\n`.length);
  tl.close();
  appendFileSync(path, "!\n");
  const again = tailer(dir, {}, { saved });
  again.scan();
  const second = [...drain(again), ...again.unfinished().lines];
  assert.deepEqual(second.map((l) => [l.text, l.partial ?? false]), [[`${TB.slice(0, 4).join("\n")}\nValueError: no newline!`, false]]);
  again.close();
  // Without an unfinished line, every held event is acked.
  writeFileSync(join(dir, "b.log"), `INFO b\n${TB.join("\n")}\n`);
  const b = tailer(dir, {}, { include: [compileGlob("b.log", dir)] });
  b.scan();
  assert.deepEqual(texts(drain(b)), ["INFO b"]);
  const end = b.unfinished();
  assert.deepEqual(texts(end.lines), [TB.join("\n")]);
  b.ack(end.marks);
  assert.equal(b.saved()[0]!.offset, `INFO b\n${TB.join("\n")}\n`.length);
  b.close();
});
