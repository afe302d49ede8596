/**
 * The core's hot paths, with tinybench, on the current runtime:
 *   - bus emit to one listener (the control plane);
 *   - a batch through the bounded channel (send + receive);
 *   - the rotating-file writer: 100,000 formatted records per op into a file rotating at 1 MiB x 3,
 *     and, in the same run, the same lines with one writeSync per line (what batching saves).
 * Medians of each task; compare ratios within one run (the machine is noisy).
 *
 *   bun bench/core.bench.ts | node --import tsx bench/core.bench.ts | deno run -A bench/core.bench.ts
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { createBus } from "../core/bus.ts";
import { Channel } from "../core/channel.ts";
import { compileTemplate, DEFAULT_TEMPLATE } from "../core/template.ts";
import type { LogRecord } from "../core/types.ts";
import { FileWriter } from "../core/file-writer.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { nodeFileSystem } from "../runtime/shared/node-fs.ts";

const LINES = 100_000;
const runtime = await detectRuntime();
const dir = mkdtempSync(join(tmpdir(), "logsim-bench-"));
const format = compileTemplate(DEFAULT_TEMPLATE);
const start = Date.now();
const records: LogRecord[] = Array.from({ length: LINES }, (_, i) => ({ time: start + i, level: "INFO", message: `request ${i} served in ${i % 250} ms` }));
let n = 0;

const bus = createBus();
let seen = 0;
bus.on("pipeline:started", () => void seen++);
const channel = new Channel<LogRecord[]>(16);
const batch = records.slice(0, 256);

const bench = new Bench({ time: 1500, warmupTime: 300 });
bench
  .add("bus: emit to one listener", () => {
    bus.emit("pipeline:started", { pipeline: "p" });
  })
  .add("channel: send + receive one batch", async () => {
    await channel.send(batch);
    await channel.receive();
  })
  .add(`format only: ${LINES} records, no I/O (the floor)`, () => {
    let bytes = 0;
    for (const r of records) bytes += format(r).length;
    if (bytes === 0) throw new Error("nothing formatted");
  })
  .add(`rotating-file: ${LINES} records, batched, 1 MiB x 3`, () => {
    // ~6 MiB per op: about six rotations, so their cost is in the figure.
    const writer = new FileWriter(nodeFileSystem, { path: join(dir, `rot-${n++}.log`), maxBytes: 1_048_576, backups: 3 });
    writer.append(records.map(format));
    writer.close();
  })
  .add(`baseline: ${LINES} records, one writeSync per line`, () => {
    const fd = openSync(join(dir, `line-${n++}.log`), "a");
    for (const r of records) writeSync(fd, `${format(r)}\n`);
    closeSync(fd);
  });

await bench.run();
rmSync(dir, { recursive: true, force: true });

const median = (t: (typeof bench.tasks)[number]) => {
  const r = t.result as { latency?: { p50?: number } } | undefined;
  return r?.latency?.p50 ?? NaN;
};
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
console.log(`logsim core bench on ${runtime.name} ${runtime.version} (tinybench, median per op)`);
for (const t of bench.tasks) {
  const ms = median(t);
  const perOp = t.name.startsWith("bus") ? `${fmt(1000 / ms)} emits/s` : t.name.startsWith("channel") ? `${fmt(1000 / ms)} batches/s` : `${fmt((LINES * 1000) / ms)} records/s`;
  console.log(`  ${t.name.padEnd(52)} ${ms < 0.01 ? `${(ms * 1e6).toFixed(0)} ns` : `${ms.toFixed(3)} ms`}/op  ${perOp}`);
}
const [, , floor, batched, perLine] = bench.tasks.map(median);
console.log(`  writing, beyond formatting: batched ${(batched! - floor!).toFixed(3)} ms, a write per line ${(perLine! - floor!).toFixed(3)} ms per ${LINES} records (${((perLine! - floor!) / (batched! - floor!)).toFixed(1)}x)`);
if (seen === 0) throw new Error("the bus listener was never called");
