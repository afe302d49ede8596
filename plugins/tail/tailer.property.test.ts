/**
 * Model-based property test (after Vector's file-source tests): random
 * sequences of append / rename-rotate / copytruncate / truncate / delete /
 * scan / read on the real file system, against a model of what was written.
 * Without destructive operations the output must equal the input exactly;
 * with them, every line is emitted at most once, whole, and a line may be
 * missing only if it was destroyed before the tailer read it. Half the cases see modification times
 * in whole seconds (coarse file systems; Deno's are whole ms), where an unchanged time proves nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { coarseTimes } from "./_test-helpers.ts";
import { compileGlob } from "./glob.ts";
import { Tailer } from "./tailer.ts";
import { propertyParameters, propertyTimeout } from "../../tests/_property.ts";

type Op =
  | { op: "append"; lines: number }
  | { op: "rotate" }
  | { op: "copytruncate" }
  | { op: "truncate" }
  | { op: "delete" }
  | { op: "scan" }
  | { op: "read"; max: number }
  | { op: "ack" }
  | { op: "restart" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("append" as const), lines: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: "rotate" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "copytruncate" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "truncate" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "delete" as const }) },
  { weight: 3, arbitrary: fc.constant({ op: "scan" as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("read" as const), max: fc.integer({ min: 1, max: 50 }) }) },
  // Batches are acknowledged later than they are read, as the sinks' flushes make happen.
  { weight: 3, arbitrary: fc.constant({ op: "ack" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "restart" as const }) },
);

const DESTRUCTIVE = new Set(["copytruncate", "truncate", "delete"]);

/** `coarse`: the file system's modification times in whole seconds (see coarseTimes). */
function runModel(ops: Op[], coarse = false): void {
  const dir = mkdtempSync(join(tmpdir(), "logsim-model-"));
  try {
    const path = join(dir, "app.log");
    writeFileSync(path, "");
    const options = { fs: coarse ? coarseTimes(nodeFileSystem) : nodeFileSystem, include: [compileGlob(path, "/")], maxLineBytes: 4096, closeAfterMs: 0, chunkBytes: 97 };
    let tailer = new Tailer(options);
    tailer.scan();
    /** Lines in each file of the model, by name. */
    const files = new Map<string, string[]>([[path, []]]);
    const emitted: string[] = [];
    const emittedSet = new Set<string>();
    const mayBeLost = new Set<string>();
    let next = 1;
    /** Whether a scan has seen the current app.log: one created and rotated away between two scans is never known. */
    let seen = true;
    /** Every line a destructive step removed from the file system, read or not. */
    const destroyed = new Set<string>();
    const lose = (lines: string[] | undefined) => lines?.forEach((l) => (destroyed.add(l), !emittedSet.has(l) && mayBeLost.add(l)));
    const read = (max: number) => {
      const { lines, marks } = tailer.read(max, 1 << 20);
      for (const l of lines) {
        emitted.push(l.text);
        emittedSet.add(l.text);
      }
      pending.push({ marks, lines: lines.map((l) => l.text) });
    };
    /** Batches read and not yet acknowledged; a restart may read their lines again. */
    let pending: Array<{ marks: ReturnType<Tailer["read"]>["marks"]; lines: string[] }> = [];
    const mayRepeat = new Set<string>();
    /** Lines read but not acknowledged at a restart: the sinks may not have them, so they must come again. */
    const mustRepeat: Array<{ line: string; after: number }> = [];
    const ackAll = () => {
      for (const batch of pending) tailer.ack(batch.marks);
      pending = [];
    };
    for (const o of ops) {
      switch (o.op) {
        case "append": {
          const lines = Array.from({ length: o.lines }, () => `line-${next++}-${"x".repeat(next % 13)}`);
          appendFileSync(path, lines.map((l) => `${l}\n`).join(""));
          files.get(path)!.push(...lines);
          break;
        }
        case "rotate":
          if (!seen) lose(files.get(path));
          seen = false;
          lose(files.get(`${path}.2`));
          if (existsSync(`${path}.1`)) renameSync(`${path}.1`, `${path}.2`);
          files.set(`${path}.2`, files.get(`${path}.1`) ?? []);
          renameSync(path, `${path}.1`);
          files.set(`${path}.1`, files.get(path)!);
          writeFileSync(path, "");
          files.set(path, []);
          break;
        case "copytruncate":
          // As logrotate does: the old .1 goes, the copy is a new file.
          lose(files.get(`${path}.1`));
          rmSync(`${path}.1`, { force: true });
          copyFileSync(path, `${path}.1`);
          lose(files.get(path));
          files.set(`${path}.1`, [...files.get(path)!]);
          truncateSync(path, 0);
          files.set(path, []);
          break;
        case "truncate":
          lose(files.get(path));
          truncateSync(path, 0);
          files.set(path, []);
          break;
        case "delete":
          lose(files.get(path));
          rmSync(path);
          writeFileSync(path, "");
          seen = false;
          files.set(path, []);
          break;
        case "scan":
          seen = true;
          tailer.scan();
          break;
        case "read":
          read(o.max);
          break;
        case "ack":
          ackAll();
          break;
        case "restart": {
          for (const batch of pending) batch.lines.forEach((l) => (mayRepeat.add(l), mustRepeat.push({ line: l, after: emitted.length })));
          pending = [];
          const saved = tailer.saved();
          tailer.close();
          tailer = new Tailer({ ...options, saved });
          tailer.scan();
          seen = true;
          break;
        }
      }
    }
    for (let i = 0; i < 4; i++) {
      tailer.scan();
      read(1 << 20);
      ackAll();
    }
    tailer.close();
    const written = new Set([...files.values()].flat().concat([...emittedSet, ...mayBeLost]));
    const times = new Map<string, number>();
    for (const l of emitted) times.set(l, (times.get(l) ?? 0) + 1);
    for (const [l, n] of times) if (n > 1) assert.ok(mayRepeat.has(l), `emitted ${n} times though acknowledged before any restart: ${l.slice(0, 60)}`);
    for (const { line, after } of mustRepeat) {
      assert.ok(emitted.indexOf(line, after) >= 0 || destroyed.has(line), `read but not acknowledged before a restart, and not read again after it: ${line.slice(0, 60)}`);
    }
    for (const l of emitted) assert.ok(/^line-\d+-x*$/.test(l) && written.has(l), `whole line: ${l.slice(0, 60)}`);
    const missing: string[] = [];
    for (let n = 1; n < next; n++) {
      const line = `line-${n}-${"x".repeat((n + 1) % 13)}`;
      if (!emittedSet.has(line) && !mayBeLost.has(line)) missing.push(line);
    }
    assert.deepEqual(missing, [], "only lines destroyed before being read may be missing");
    if (!ops.some((o) => DESTRUCTIVE.has(o.op)) && mayBeLost.size === 0) assert.equal(emittedSet.size, next - 1, "exact without destructive operations");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("property: tailer against a model of append / rotate / copytruncate / truncate / delete / restart", { timeout: propertyTimeout(150, 120_000) }, () => {
  fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.boolean(), runModel), propertyParameters(150));
});

test("property: rotations and restarts alone lose nothing and duplicate nothing", { timeout: propertyTimeout(150, 120_000) }, () => {
  // A scan after every rotation, as the watch events make happen in practice.
  const safe = opArb.filter((o) => !DESTRUCTIVE.has(o.op)).chain((o) => (o.op === "rotate" ? fc.constant<Op[]>([o, { op: "scan" }]) : fc.constant<Op[]>([o])));
  fc.assert(fc.property(fc.array(safe, { maxLength: 30 }).map((a) => a.flat()), fc.boolean(), runModel), propertyParameters(150));
});
