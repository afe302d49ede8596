/** The rotating-file sink: Python RotatingFileHandler semantics, batched writes. See FileWriter. */
import { z } from "zod";
import { createLineFormat, definePlugin, filePath, FileWriter, LEVEL_RANK, lineFormat, minLevel, nonNegativeInt, withFaults, type PluginContext, type Sink } from "../../core/mod.ts";

/** Most rotated files kept: rotation lists the folder, so more would work, but a larger number is a typo or a unit mix-up. */
export const MAX_BACKUPS = 10_000;
/** "10,000", grouped by hand: the first toLocaleString of a process loads ICU data (20 ms on Node and Deno), at import. */
const MAX_BACKUPS_TEXT = String(MAX_BACKUPS).replace(/\B(?=(\d{3})+$)/g, ",");

export const rotatingFileSchema = z.strictObject({
  path: filePath().default("logs/app.log").describe("File to write; its folder is created"),
  maxBytes: nonNegativeInt().default(1_048_576).describe("Rotate before a record would make the file exceed this many bytes; 0 never rotates"),
  backups: nonNegativeInt()
    .max(MAX_BACKUPS, { error: `expected at most ${MAX_BACKUPS_TEXT} backups (rotated files kept)` })
    .default(3).describe("Rotated files kept (app.log.1 ... app.log.N); 0 never rotates, as in Python"),
  format: lineFormat(),
  minLevel: minLevel(),
  fsync: z.boolean({ error: "expected true or false" }).default(false).describe("fsync on every flush (survives power loss, not only a crash)"),
});

export type RotatingFileOptions = z.output<typeof rotatingFileSchema>;

function createRotatingFile(options: RotatingFileOptions, ctx: PluginContext): Sink {
  const format = createLineFormat(options.format);
  const writer = new FileWriter(ctx.runtime.fs, {
    path: options.path,
    maxBytes: options.maxBytes,
    backups: options.backups,
    header: format.header,
    fsync: options.fsync,
    // The file only grows: collectors follow it, and a file that shrinks looks truncated to them.
    // So a line a crash cut stays, ended, as one malformed line (as the generator's faults make).
    torn: "terminate",
    onRotated: (path, lines) => ctx.bus.emit("sink:rotated", { pipeline: ctx.pipeline ?? "", plugin: ctx.id, path, lines }),
  });
  const min = options.minLevel ? LEVEL_RANK[options.minLevel] : 0;
  const line = withFaults(format.format); // Records marked by the generator's fault injection come out malformed.
  return {
    write(records) {
      writer.append(min === 0 ? records.map(line) : records.filter((r) => LEVEL_RANK[r.level] >= min).map(line));
    },
    flush: () => writer.flush(),
    close: () => writer.close(),
  };
}

export const rotatingFile = definePlugin({
  kind: "sink",
  name: "rotating-file",
  description: "Writes records to a file that rotates by size, like Python's RotatingFileHandler",
  schema: rotatingFileSchema,
  create: createRotatingFile,
  writes: (options) => [options.path],
  durable: (options) => options.fsync,
});
