/** The jsonl sink: one JSON object per record per line, appended in batches (to a file, or to stdout with path "-"). */
import { z } from "zod";
import { definePlugin, filePath, FileWriter, jsonLineFormatter, type LogRecord, type PluginContext, type RecordEncoder, type Sink, type Writer } from "../../core/mod.ts";

export const jsonlSchema = z.strictObject({
  path: filePath().default("collected_logs/collected.jsonl").describe('File to append to; its folder is created. "-" writes to standard output'),
  fsync: z.boolean({ error: "expected true or false" }).default(false).describe("fsync on every flush (survives power loss, not only a crash)"),
});

export type JsonlOptions = z.output<typeof jsonlSchema>;

/** The path that means standard output. */
export const STDOUT_PATH = "-";

/** Characters (about bytes) buffered before a write to stdout, as FileWriter's 256 KiB. */
const STDOUT_HIGH_WATER = 256 * 1024;

function createJsonl(options: JsonlOptions, ctx: PluginContext): Sink {
  const format = jsonLineFormatter("always"); // Every collected entry has the same keys: `jq ".tags[]"` never fails.
  if (options.path === STDOUT_PATH) return stdoutSink(ctx.runtime.stdout, format);
  // A torn last line (a crash or a full disk mid-write) belongs to a batch never acknowledged, which
  // its source sends again: cutting it away loses nothing and leaves no line jq rejects.
  const writer = new FileWriter(ctx.runtime.fs, { path: options.path, maxBytes: 0, backups: 0, fsync: options.fsync, torn: "truncate" });
  return {
    write: (records) => writer.append(records.map(format)),
    // Lines a worker thread encoded (see `encoder`): the same bytes `write` appends, newlines included.
    writeEncoded: (bytes) => writer.append([bytes]),
    copiesEncoded: true, // append copies them into the writer's buffer.
    flush: () => writer.flush(),
    close: () => writer.close(),
  };
}

/** The bytes `write` appends to a file for these records, made in a worker thread (a pipeline's `workers`). */
function jsonLinesEncoder(): RecordEncoder {
  const format = jsonLineFormatter("always");
  const encoder = new TextEncoder();
  return (records) => {
    let text = "";
    for (const record of records) text += `${format(record)}\n`;
    return encoder.encode(text);
  };
}

/**
 * Lines to stdout, batched: one write per 256 KiB or per flush. A write resolves when the
 * stream has taken the bytes, so a slow reader of the pipe pauses the pipeline (backpressure);
 * flush resolves once everything is handed to the OS, so acks and exit come after the output.
 */
function stdoutSink(out: Writer, format: (record: LogRecord) => string): Sink {
  let text = "";
  let closed = false;
  const drain = async () => {
    if (text.length === 0) return;
    const chunk = text;
    text = "";
    try {
      await out.write(chunk);
    } catch (error) {
      text = chunk + text; // Not taken: kept for the retry, as FileWriter keeps its buffer.
      throw error;
    }
  };
  return {
    async write(records) {
      if (closed) throw new Error("cannot write to standard output: the jsonl sink is closed");
      for (const record of records) text += `${format(record)}\n`;
      if (text.length >= STDOUT_HIGH_WATER) await drain();
    },
    async flush() {
      await drain();
      await out.flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      await drain();
      await out.flush();
    },
  };
}

export const jsonl = definePlugin({
  kind: "sink",
  name: "jsonl",
  description: "Appends records as JSON lines",
  schema: jsonlSchema,
  create: createJsonl,
  writes: (options) => (options.path === STDOUT_PATH ? [] : [options.path]),
  durable: (options) => options.fsync,
  encoder: (options) => (options.path === STDOUT_PATH ? undefined : jsonLinesEncoder()),
});
