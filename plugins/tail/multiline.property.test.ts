/**
 * Model test: a file of 1,000 records, single lines interleaved with Python tracebacks and JVM
 * stack traces of 1 to 200 lines, is written in random pieces (cutting lines anywhere), read
 * through the tailer with `multiline: ["python", "java"]` in random chunk sizes, acked late, and
 * the reader is killed and restarted from its saved positions at random. Every event must come
 * out whole, exactly as the model has it, at its first line's offset; none may be missing; the
 * only duplicates are whole events of batches that were never acked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import type { RawLine } from "../../core/types.ts";
import { compileGlob } from "./glob.ts";
import { compileMultiline } from "./multiline.ts";
import { Tailer, type Mark } from "./tailer.ts";
import { propertyParameters, propertyTimeout } from "../../tests/_property.ts";

type Spec = { kind: "line" } | { kind: "python" | "java"; lines: number };

const specArb: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "line" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("python" as const, "java" as const), lines: fc.integer({ min: 1, max: 200 }) }) },
);

/** The text of record `n`: a log line, or a log line followed by its trace, `lines` lines in all. */
function record(n: number, spec: Spec): string {
  const at = `2026-11-29 13:${String(n % 60).padStart(2, "0")}:00`;
  if (spec.kind === "line" || spec.lines === 1) return `${at} INFO record ${n} ok`;
  const out = [`${at} ERROR record ${n} failed`];
  if (spec.kind === "python") {
    out.push("Traceback (most recent call last):");
    for (let i = 0; out.length < spec.lines - 1; i++) out.push(i % 2 === 0 ? `  File "/srv/app/m${n}.py", line ${i}, in f${i}` : `    call_${i}(x, y)`);
    out.push(`ValueError: record ${n} is bad`);
  } else {
    out.push(`java.lang.IllegalStateException: record ${n}`);
    for (let i = 0; out.length < spec.lines; i++) out.push(i % 7 === 6 ? `Caused by: java.io.IOException: disk ${i}` : i % 7 === 5 ? `\t... ${i} more` : `\tat com.example.C${n}.m${i}(C.java:${i})`);
  }
  return out.slice(0, Math.max(spec.lines, spec.kind === "python" ? 3 : 2)).join("\n");
}

type Op = { op: "write"; bytes: number } | { op: "read"; lines: number } | { op: "ack" } | { op: "crash" };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("write" as const), bytes: fc.integer({ min: 1, max: 40_000 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant("read" as const), lines: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 4, arbitrary: fc.constant({ op: "ack" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "crash" as const }) },
);

function run(specs: Spec[], ops: Op[], chunkBytes: number): void {
  const dir = mkdtempSync(join(tmpdir(), "logsim-ml-model-"));
  try {
    const path = join(dir, "app.log");
    writeFileSync(path, "");
    const records = specs.map((s, n) => record(n, s));
    const bytes = new TextEncoder().encode(`${records.join("\n")}\n`);
    const expected = new Map<number, string>();
    let offset = 0;
    for (const r of records) {
      expected.set(offset, r);
      offset += new TextEncoder().encode(r).length + 1;
    }
    let ms = 0;
    const multiline = compileMultiline({ modes: ["python", "java"], timeout: 1000, maxLines: 500, maxBytes: 1 << 20 });
    const open = (saved?: ReturnType<Tailer["saved"]>) => {
      const t = new Tailer({ fs: nodeFileSystem, include: [compileGlob(path, "/")], fromBeginning: true, maxLineBytes: 1 << 20, chunkBytes, closeAfterMs: 0, now: () => ms, multiline, ...(saved ? { saved } : {}) });
      t.scan();
      return t;
    };
    let tailer = open();
    let pending: Array<{ marks: Mark[]; events: number }> = [];
    const emitted: RawLine[] = [];
    let replayable = 0;
    let written = 0;
    const read = (max: number) => {
      const { lines, marks } = tailer.read(max, 1 << 20);
      emitted.push(...lines);
      if (lines.length > 0) pending.push({ marks, events: lines.length });
    };
    // The ops, then the rest of the file written; a bounded number of reads to the end; then the timeout passes.
    const all: Op[] = [...ops, { op: "write", bytes: bytes.length }];
    for (const op of all) {
      if (op.op === "write" && written < bytes.length) {
        const end = Math.min(bytes.length, written + op.bytes);
        appendFileSync(path, bytes.subarray(written, end));
        written = end;
      } else if (op.op === "read") read(op.lines);
      else if (op.op === "ack") tailer.ack(pending.shift()?.marks ?? []);
      else if (op.op === "crash") {
        replayable += pending.reduce((n, p) => n + p.events, 0);
        pending = [];
        const saved = tailer.saved();
        tailer.close();
        tailer = open(saved);
      }
    }
    for (let i = 0; i < 100_000; i++) {
      const before = emitted.length;
      read(1000);
      for (const p of pending.splice(0)) tailer.ack(p.marks);
      if (emitted.length === before && tailer.caughtUp) {
        if (ms > 0) break;
        ms += 1000; // the last event waits for its successor until the timeout
      }
    }
    tailer.close();
    const seen = new Set<number>();
    let duplicates = 0;
    for (const e of emitted) {
      const at = e.origin!.offset!;
      assert.equal(e.text, expected.get(at), `the event at ${at} is whole`);
      assert.ok(!e.truncated && !e.partial);
      if (seen.has(at)) duplicates++;
      seen.add(at);
    }
    assert.equal(seen.size, expected.size, "no event missing");
    assert.ok(duplicates <= replayable, `${duplicates} duplicates, at most ${replayable} events were read and not acked at the crashes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("1,000 records with tracebacks of 1-200 lines, random writes, reads, late acks and crashes: exact events", { timeout: propertyTimeout(6, 300_000) }, () => {
  fc.assert(
    fc.property(
      fc.array(specArb, { minLength: 1000, maxLength: 1000 }),
      fc.array(opArb, { minLength: 20, maxLength: 200 }),
      fc.integer({ min: 64, max: 64 * 1024 }),
      (specs, ops, chunkBytes) => run(specs, ops, chunkBytes),
    ),
    propertyParameters(6),
  );
});
