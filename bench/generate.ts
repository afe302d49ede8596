/**
 * Generate-and-write throughput, in one run on the current runtime:
 *   - logsim: the pipeline `logsim generate` runs (generator -> rotating-file, the
 *     ordinary runner), per format;
 *   - the JS ceiling: the same events from the same generator, JSON.stringify
 *     into one reused buffer, written with batched fs.writeSync, no pipeline;
 *   - pino with pino-roll, fed the same events;
 *   - the generator alone (no serialisation, no I/O), to show what the events cost.
 * Each is run 5 times (after a warm-up); the median is reported as events/s and MiB/s.
 *
 *   bun bench/generate.ts [events]        (also: node --import tsx bench/generate.ts, deno run -A bench/generate.ts)
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createApp } from "../core/app.ts";
import { createBus } from "../core/bus.ts";
import { systemClock } from "../core/clock.ts";
import { validateConfig } from "../core/config/validate.ts";
import { createCounters } from "../core/metrics.ts";
import type { PluginContext } from "../core/plugin.ts";
import { isoTimeFormatter } from "../core/template.ts";
import type { LogRecord } from "../core/types.ts";
import { builtinPlugins, rotatingFile } from "../plugins/mod.ts";
import { createGenerator } from "../plugins/generator/mod.ts";
import { generatorSchema } from "../plugins/generator/schema.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { generateConfig } from "../runtime/commands/generate.ts";

const N = Number((globalThis as { Deno?: { args: string[] } }).Deno?.args[0] ?? (globalThis as { process?: { argv: string[] } }).process?.argv[2] ?? 200_000);
const MAX_BYTES = 32 * 1024 * 1024;
const runtime = await detectRuntime();
const options = { count: N, seed: 7, startTime: "2026-11-23T10:00:00Z" };

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** The generator's batches, as a source outside any pipeline. */
async function* source(): AsyncIterable<LogRecord[]> {
  const ctx = { id: "bench", pipeline: "bench", bus: createBus(), runtime, clock: systemClock, signal: new AbortController().signal, counters: createCounters(), log: { info() {}, warn() {} }, app: { pipelines: () => [], config: () => ({}), outputs: () => [] } } as PluginContext;
  for await (const batch of createGenerator(generatorSchema.parse(options), ctx).batches()) yield batch as LogRecord[];
}

async function logsim(dir: string, format: string): Promise<void> {
  const config = generateConfig(options, rotatingFile({ path: join(dir, "gen.log"), format, maxBytes: MAX_BYTES, backups: 1000 }));
  const validated = validateConfig(config, { registry: new Map(builtinPlugins.map((p) => [p.name, p])), normalizePath: (p) => p })._unsafeUnwrap();
  const app = createApp(validated, { runtime });
  (await app.start())._unsafeUnwrap();
  const failures = await app.finished;
  if (failures.length) throw new Error(JSON.stringify(failures));
}

/** The hand-written ceiling: JSON.stringify into one reused buffer, batched writeSync. */
async function ceiling(dir: string): Promise<void> {
  const fd = openSync(join(dir, "ceiling.log"), "a");
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(1 << 20);
  let used = 0;
  const time = isoTimeFormatter();
  for await (const batch of source()) {
    for (const r of batch) {
      const line = `${JSON.stringify({ timestamp: time(r.time), level: r.level, service: r.service, message: r.message, ...r.fields })}\n`;
      if (buffer.length - used < line.length * 3) {
        writeSync(fd, buffer, 0, used);
        used = 0;
      }
      used += encoder.encodeInto(line, buffer.subarray(used)).written;
    }
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
}

async function pinoRoll(dir: string): Promise<void> {
  const transport = pino.transport({ target: "pino-roll", options: { file: join(dir, "pino"), size: "32m", mkdir: true } });
  const logger = pino({ level: "debug", base: undefined, messageKey: "message", timestamp: false }, transport);
  const time = isoTimeFormatter();
  const methods = { DEBUG: "debug", INFO: "info", WARN: "warn", ERROR: "error", FATAL: "fatal" } as const;
  for await (const batch of source()) {
    for (const r of batch) logger[methods[r.level]]({ timestamp: time(r.time), service: r.service, ...r.fields }, r.message);
  }
  await new Promise<void>((resolve) => {
    transport.on("close", () => resolve());
    transport.end();
  });
}

async function generateOnly(): Promise<void> {
  let n = 0;
  for await (const batch of source()) n += batch.length;
  if (n !== N) throw new Error(`generated ${n}`);
}

interface Row {
  name: string;
  eventsPerSec: number;
  mibPerSec: number;
}

async function measure(name: string, fn: (dir: string) => Promise<void>): Promise<Row> {
  const runs: Array<{ ms: number; bytes: number }> = [];
  for (let i = 0; i < 6; i++) {
    const dir = mkdtempSync(join(tmpdir(), "logsim-bench-"));
    try {
      const start = performance.now();
      await fn(dir);
      const ms = performance.now() - start;
      if (i > 0) runs.push({ ms, bytes: dirBytes(dir) }); // Run 0 warms up.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[2]!;
  return { name, eventsPerSec: (N * 1000) / median.ms, mibPerSec: median.bytes / 1048576 / (median.ms / 1000) };
}

const rows: Row[] = [];
rows.push(await measure("generator only (no output)", async () => generateOnly()));
rows.push(await measure("JS ceiling: JSON.stringify + reused buffer + writeSync", ceiling));
for (const format of ["json", "csv", "text", "logfmt", "apache", "syslog"]) rows.push(await measure(`logsim generate -> rotating-file (${format})`, (dir) => logsim(dir, format)));
rows.push(await measure("pino + pino-roll (json)", pinoRoll));

const ceilingRate = rows[1]!.eventsPerSec;
console.log(`${runtime.name} ${runtime.version}, ${N.toLocaleString("en-US")} events per run, median of 5 after a warm-up`);
console.log(`| ${"what".padEnd(56)} | events/s  | MiB/s | vs ceiling |`);
console.log(`| ${"-".repeat(56)} | --------: | ----: | ---------: |`);
for (const r of rows) console.log(`| ${r.name.padEnd(56)} | ${Math.round(r.eventsPerSec).toLocaleString("en-US").padStart(9)} | ${r.mibPerSec.toFixed(1).padStart(5)} | ${(r.eventsPerSec / ceilingRate).toFixed(2).padStart(9)}x |`);
