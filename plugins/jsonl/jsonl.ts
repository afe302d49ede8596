/** The jsonl sink: one JSON object per record per line, appended in batches. */
import { z } from "zod";
import { filePath } from "../../core/config/fields.ts";
import { definePlugin, type PluginContext, type Sink } from "../../core/plugin.ts";
import { jsonLineFormatter } from "../../core/record-json.ts";
import { FileWriter } from "../../core/file-writer.ts";

export const jsonlSchema = z.strictObject({
  path: filePath().default("collected_logs/collected.jsonl").describe("File to append to; its folder is created"),
  fsync: z.boolean({ error: "expected true or false" }).default(false).describe("fsync on every flush (survives power loss, not only a crash)"),
});

export type JsonlOptions = z.output<typeof jsonlSchema>;

function createJsonl(options: JsonlOptions, ctx: PluginContext): Sink {
  const format = jsonLineFormatter();
  // A torn last line (a crash or a full disk mid-write) belongs to a batch never acknowledged, which
  // its source sends again: cutting it away loses nothing and leaves no line jq rejects.
  const writer = new FileWriter(ctx.runtime.fs, { path: options.path, maxBytes: 0, backups: 0, fsync: options.fsync, torn: "truncate" });
  return {
    write: (records) => writer.append(records.map(format)),
    flush: () => writer.flush(),
    close: () => writer.close(),
  };
}

export const jsonl = definePlugin({
  kind: "sink",
  name: "jsonl",
  description: "Appends records as JSON lines",
  schema: jsonlSchema,
  create: createJsonl,
  writes: (options) => [options.path],
});
