/**
 * The generate-and-write subjects other than logsim itself, one per process, for
 * bench/peers/generate.ts. Each writes the SAME events (logsim's generator, seeded, with the
 * same start time as `logsim generate --start-time`) into a file rotated by size:
 *
 * - loop: the hand-written ceiling. One JSON.stringify per event (the object logsim's json
 *   format writes: timestamp, level, service, message, then the fields), encoded into a
 *   reused 1 MiB buffer, batched writeSync, rotation by size before a line that would make
 *   the file exceed max-bytes (the rule logsim follows, so the files come out the same bytes).
 * - pino: pino with the pino-roll transport (its worker thread), level names as logsim's.
 * - winston: winston's json format and File transport (maxsize, maxFiles), levels as logsim's,
 *   writing through logger.write() so its buffer stays bounded. It loses lines at each rotation
 *   (winstonjs/winston#1655, open): the bench reports the count it wrote, never hides it.
 * - rfs: rotating-file-stream with a hand-written JSON line per event, honouring backpressure.
 *
 *   <runtime> bench/peers/generate-subjects.ts SUBJECT --events N --out FILE --max-bytes B --backups K --seed S --start-time ISO
 */
import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { createBus } from "../../core/bus.ts";
import { systemClock } from "../../core/clock.ts";
import { createCounters } from "../../core/metrics.ts";
import type { PluginContext } from "../../core/plugin.ts";
import { isoTimeFormatter } from "../../core/template.ts";
import type { LogRecord } from "../../core/types.ts";
import { createGenerator } from "../../plugins/generator/generator.ts";
import { generatorSchema } from "../../plugins/generator/schema.ts";
import { detectRuntime } from "../../runtime/detect.ts";

export interface SubjectOptions {
  events: number;
  out: string;
  maxBytes: number;
  backups: number;
  seed: number;
  startTime: string;
}

/** The generator's batches, outside any pipeline: the events `logsim generate` writes for the same flags. */
async function* events(o: SubjectOptions): AsyncIterable<readonly LogRecord[]> {
  const runtime = await detectRuntime();
  const ctx = { id: "gen", pipeline: "generate", bus: createBus(), runtime, clock: systemClock, signal: new AbortController().signal, counters: createCounters(), log: { info() {}, warn() {} }, app: { pipelines: () => [], config: () => ({}), outputs: () => [] } } as unknown as PluginContext;
  yield* createGenerator(generatorSchema.parse({ count: o.events, seed: o.seed, startTime: o.startTime }), ctx).batches() as AsyncIterable<readonly LogRecord[]>;
}

/** The object logsim's json format writes for a record (no field of these events clashes with the first four keys). */
const eventObject = (r: LogRecord, time: (ms: number) => string) => ({ timestamp: time(r.time), level: r.level, service: r.service, message: r.message, ...r.fields });

async function loop(o: SubjectOptions): Promise<void> {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(1 << 20);
  const time = isoTimeFormatter();
  let fd = openSync(o.out, "w");
  let fileBytes = 0;
  let used = 0;
  let rotated = 0;
  const rotate = () => {
    closeSync(fd);
    for (let n = Math.min(rotated, o.backups - 1); n >= 1; n--) renameSync(`${o.out}.${n}`, `${o.out}.${n + 1}`);
    renameSync(o.out, `${o.out}.1`);
    rotated++;
    fd = openSync(o.out, "w");
    fileBytes = 0;
  };
  for await (const batch of events(o)) {
    for (const r of batch) {
      const line = JSON.stringify(eventObject(r, time));
      if (buffer.length - used < line.length * 3 + 1) {
        writeSync(fd, buffer, 0, used);
        fileBytes += used;
        used = 0;
      }
      const n = encoder.encodeInto(line, buffer.subarray(used)).written + 1;
      buffer[used + n - 1] = 10;
      if (fileBytes + used + n > o.maxBytes && fileBytes + used > 0) {
        writeSync(fd, buffer, 0, used);
        buffer.copyWithin(0, used, used + n);
        used = 0;
        rotate();
      }
      used += n;
    }
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
}

const LEVELS = { FATAL: 0, ERROR: 1, WARN: 2, INFO: 3, DEBUG: 4 } as const;

async function pinoRoll(o: SubjectOptions): Promise<void> {
  const { default: pino } = await import("pino");
  // pino-roll names files FILE.1, FILE.2 ... itself; `limit.count` is the files kept besides the current one.
  const transport = pino.transport({ target: "pino-roll", options: { file: o.out, size: `${Math.floor(o.maxBytes / 1024)}k`, limit: { count: o.backups }, mkdir: true } });
  const logger = pino({ level: "debug", base: undefined, messageKey: "message", timestamp: false, formatters: { level: (label) => ({ level: label.toUpperCase() }) } }, transport);
  const methods = { DEBUG: logger.debug, INFO: logger.info, WARN: logger.warn, ERROR: logger.error, FATAL: logger.fatal };
  const time = isoTimeFormatter();
  for await (const batch of events(o)) {
    for (const r of batch) methods[r.level].call(logger, { timestamp: time(r.time), service: r.service, ...r.fields }, r.message);
  }
  // The transport's worker is unref'd: without a timer the loop would empty (and Node exit with 13) before it closes.
  const alive = setInterval(() => {}, 1000);
  await new Promise<void>((resolve) => {
    transport.on("close", () => resolve());
    transport.end();
  });
  clearInterval(alive);
}

async function winstonFile(o: SubjectOptions): Promise<void> {
  const { default: winston } = await import("winston");
  const file = new winston.transports.File({ dirname: dirname(o.out), filename: basename(o.out), maxsize: o.maxBytes, maxFiles: o.backups + 1 });
  const logger = winston.createLogger({ levels: LEVELS, level: "DEBUG", format: winston.format.json(), transports: [file] });
  const time = isoTimeFormatter();
  for await (const batch of events(o)) {
    for (const r of batch) {
      // write() rather than log(): it says when winston's buffer is full, and waiting then keeps memory bounded.
      if (!logger.write({ level: r.level, message: r.message, timestamp: time(r.time), service: r.service, ...r.fields })) await new Promise((resolve) => logger.once("drain", resolve));
    }
  }
  // Ending the logger after a rotation can make winston emit "write after end" (most runs of 150k
  // events here): said on stderr, and the lines it did write are counted, so the table shows the loss.
  const finished = new Promise<void>((resolve) => {
    file.on("finish", () => resolve());
    logger.on("error", (error: Error) => {
      console.error(`winston: ${error.message}`);
      resolve();
    });
  });
  logger.end();
  await finished;
}

/** rotating-file-stream's list of rotated files (beside them: the bench counts files not starting with a dot). */
export const HISTORY = ".rfs-history";

async function rotatingFileStream(o: SubjectOptions): Promise<void> {
  const { createStream } = await import("rotating-file-stream");
  const name = basename(o.out);
  const stream = createStream((time: number | Date | null, index?: number) => (time ? `${name}.${index}` : name), { path: dirname(o.out), size: `${Math.floor(o.maxBytes / 1024)}K`, maxFiles: o.backups, history: HISTORY });
  const time = isoTimeFormatter();
  for await (const batch of events(o)) {
    for (const r of batch) {
      if (!stream.write(`${JSON.stringify(eventObject(r, time))}\n`)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

export const SUBJECTS = { loop, pino: pinoRoll, winston: winstonFile, rfs: rotatingFileStream } as const;
export type SubjectName = keyof typeof SUBJECTS;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { events: { type: "string" }, out: { type: "string" }, "max-bytes": { type: "string" }, backups: { type: "string" }, seed: { type: "string" }, "start-time": { type: "string" } } });
  const subject = SUBJECTS[positionals[0] as SubjectName];
  if (!subject || !values.out) throw new Error(`usage: generate-subjects.ts ${Object.keys(SUBJECTS).join("|")} --events N --out FILE --max-bytes B --backups K`);
  await subject({ events: Number(values.events ?? 100_000), out: values.out, maxBytes: Number(values["max-bytes"] ?? 32 << 20), backups: Number(values.backups ?? 100), seed: Number(values.seed ?? 1), startTime: values["start-time"] ?? "2026-11-23T10:00:00Z" });
}

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
await main(g.Deno ? g.Deno.args : g.process!.argv.slice(2));
