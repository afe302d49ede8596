/**
 * The config's shape, written once. The TypeScript types of logsim.config.ts
 * (define.ts), validation (validate.ts), the JSON Schema of logsim.config.json
 * (plain.ts) and `logsim plugins` all come from these zod schemas, so a new
 * setting is one entry here: its JSDoc shows in editors, its `.describe()` in
 * the JSON Schema and the CLI.
 *
 * The schemas are built over the schema of a plugin entry, which differs by
 * use: the plugin spec type for TypeScript, a resolver for validation, the
 * registry's `{ use, ...options }` variants for the JSON Schema.
 */
import { z } from "zod";
import type { PluginKind } from "../plugin.ts";
import { MAX_WORKERS } from "../parallel/limits.ts";
import { duration, nonNegativeInt, positiveInt } from "./fields.ts";

/** Settings of every pipeline, beside its plugins: one entry per setting. */
export const pipelineSettings = z.strictObject({
  /** The bounded channel between sources and processing. */
  channel: z
    .strictObject({
      /** Batches held before sources pause (default 16). */
      capacity: positiveInt().default(16).describe("Batches held before sources pause"),
      /** `block` (default) pauses sources; `drop-newest` drops and counts. */
      overflow: z.enum(["block", "drop-newest"], { error: 'expected "block" or "drop-newest"' }).default("block").describe("block pauses sources; drop-newest drops and counts"),
    })
    .default({ capacity: 16, overflow: "block" })
    .describe("The bounded channel between sources and processing"),
  /**
   * Threads that parse, transform and encode lines beside the one that reads and writes (default 0:
   * all on one thread). Used when every parser and transform declares `parallel`; else the pipeline
   * says at start why it runs on one thread. Order, acknowledgements and counts are as on one thread.
   */
  workers: nonNegativeInt().max(MAX_WORKERS, { error: `expected at most ${MAX_WORKERS} workers` }).default(0).describe("Threads that parse, transform and encode lines (0: all on one thread); needs parsers and transforms that declare parallel"),
  /** Longest time records wait in a sink's buffer before a flush (default 100ms). */
  flushInterval: duration().prefault("100ms").describe("Longest time records wait in a sink's buffer before a flush"),
  /**
   * A line no parser understands is always counted and emitted as `record:parse-failed`; then it is
   * written to the dead-letter file (`deadletter`, the default), dropped (`drop`), or passed on tagged `_parse_error` (`pass`).
   */
  onParseError: z
    .enum(["deadletter", "drop", "pass"], { error: 'expected "deadletter", "drop" or "pass"' })
    .default("deadletter")
    .describe("Lines no parser understands: deadletter (to the dead-letter file), drop or pass (tagged _parse_error); always counted"),
  /** The dead-letter JSONL file (default `collected_logs/<pipeline>.deadletter.jsonl`). */
  deadletter: z
    .string({ error: "expected a file path" })
    .min(1, { error: "expected a non-empty file path" })
    .optional()
    .describe("The dead-letter JSONL file (default collected_logs/<pipeline>.deadletter.jsonl)"),
  /**
   * A sink whose write or flush fails is retried with backoff, doubling from `initialBackoff` (default 100ms)
   * up to `maxBackoff` (default 5s), for as long as the pipeline runs; the other sinks keep writing meanwhile.
   * Once it stops, a sink that starts failing gets `attemptsOnStop` retries (default 5).
   */
  retry: z
    .strictObject({
      /** First wait before retrying a failing sink (default 100ms); doubles per attempt. */
      initialBackoff: duration().prefault("100ms").describe("First wait before retrying a failing sink; doubles per attempt"),
      /** Longest wait between attempts (default 5s). */
      maxBackoff: duration().prefault("5s").describe("Longest wait between attempts"),
      /** Retries of a sink that starts failing once the pipeline stops (default 5). */
      attemptsOnStop: nonNegativeInt().default(5).describe("Retries of a sink that starts failing once the pipeline stops"),
    })
    .refine((r) => r.maxBackoff >= r.initialBackoff, { error: "maxBackoff must be at least initialBackoff", path: ["maxBackoff"] })
    .prefault({})
    .describe("How a failing sink is retried; the other sinks keep writing meanwhile"),
});

/** Settings of the whole config, beside its pipelines and services: one entry per setting. */
export const topSettings = z.strictObject({
  /** How long any plugin hook may take before it is abandoned with an error (default 10s). */
  hookTimeout: duration().prefault("10s").describe("Longest a plugin hook may take before it fails with an error naming the plugin and the hook"),
});

/**
 * The schema of one plugin entry per kind. (The builders below name `P["source"]` etc. in full:
 * `plugins.source` alone would be typed as the constraint, losing the entry types.)
 */
export type PluginEntrySchemas = { [K in PluginKind]: z.ZodType };

const pipelineShape = { error: (issue: { code: string }) => (issue.code === "invalid_type" ? "expected an object with sources and sinks" : undefined) };
const pluginList = <S extends z.ZodType>(entry: S) => z.array(entry, { error: "expected an array of plugins" });

/** A pipeline: its plugins by role, in order, and its settings. */
export function pipelineSchema<P extends PluginEntrySchemas>(plugins: P) {
  return z.strictObject(
    {
      /** Where records come from; at least one. */
      sources: pluginList<P["source"]>(plugins.source).min(1, { error: "expected at least one source" }).describe("Where records come from; at least one"),
      /** Turn raw lines into records; the first that succeeds wins. */
      parsers: pluginList<P["parser"]>(plugins.parser).default([]).describe("Turn raw lines into records; the first that succeeds wins"),
      /** Filters and taggers, in order. */
      transforms: pluginList<P["transform"]>(plugins.transform).default([]).describe("Filters and taggers, applied in order"),
      /** Where records go; at least one. Each sink gets every record. */
      sinks: pluginList<P["sink"]>(plugins.sink).min(1, { error: "expected at least one sink" }).describe("Where records go; at least one, each gets every record"),
      ...pipelineSettings.shape,
    },
    pipelineShape,
  );
}

/** Pipeline names become ids and file names. */
const pipelineName = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "pipeline names may use letters, digits, - and _" });

/** The whole config. */
export function configSchema<P extends PluginEntrySchemas>(plugins: P) {
  return z.strictObject(
    {
      /** The JSON Schema this file follows (logsim.config.json), for editors. */
      $schema: z.string().optional().describe("The JSON Schema this file follows, for editor completion"),
      /** Named pipelines: sources -> parsers -> transforms -> sinks. */
      pipelines: z
        .record(pipelineName, pipelineSchema(plugins), { error: (issue) => (issue.code === "invalid_type" ? "expected an object of named pipelines" : undefined) })
        .describe("Named pipelines: sources -> parsers -> transforms -> sinks"),
      /** Plugins that run beside the pipelines, such as the web interface. */
      services: pluginList<P["service"]>(plugins.service).default([]).describe("Plugins that run beside the pipelines, such as the web interface"),
      ...topSettings.shape,
    },
    { error: (issue) => (issue.code === "invalid_type" ? "the config must export an object (use `export default defineConfig({ ... })`)" : undefined) },
  );
}

/** The roles of a pipeline and the kind of plugin each holds. */
export const ROLES = { sources: "source", parsers: "parser", transforms: "transform", sinks: "sink" } as const;
export type Role = keyof typeof ROLES;
