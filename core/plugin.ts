/**
 * The plugin contract. A plugin is defined once with a kind, a kebab-case
 * name, a zod schema for its options and a `create`. `definePlugin` returns
 * the factory users call in `logsim.config.ts`: its argument is typed as the
 * schema's input, and `create` receives the schema's (validated) output.
 */
import type { z } from "zod";
import type { CheckedId } from "./config/ids.ts";
import type { Bus } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { Counters } from "./metrics.ts";
import type { Runtime } from "./runtime.ts";
import type { Batch, Entry, LogRecord, RawLine } from "./types.ts";
import type { BlockBuffers } from "./line-block.ts";
import type { Result } from "neverthrow";

/**
 * The five kinds of plugin: sources yield entries, parsers read lines, transforms change or drop
 * records, sinks write them, services run beside the pipelines (the web interface).
 *
 * @example
 * const kinds: PluginKind[] = ["source", "parser", "transform", "sink", "service"];
 */
export type PluginKind = "source" | "parser" | "transform" | "sink" | "service";

/**
 * A short diagnostic logger for plugins; goes to stderr, not to the data plane.
 *
 * @example
 * ctx.log.warn(`cannot reach ${options.url}; retrying`);
 */
export interface PluginLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * What a plugin instance gets from the runner, passed explicitly to `create`. Use its
 * clock (not Date.now or setTimeout) so tests can run the plugin on a fake clock, and
 * its runtime for files and servers, so the plugin runs unchanged on Bun, Deno and Node.
 *
 * @example
 * create: (options, ctx) => ({
 *   async *batches() {
 *     while (!ctx.signal.aborted) {
 *       yield { entries: [{ kind: "line", text: "tick" }] };
 *       await ctx.clock.sleep(1000, ctx.signal);
 *     }
 *   },
 * }),
 */
export interface PluginContext {
  /**
   * The instance's stable id (the `id` option, or `<pipeline>.<plugin-name>`, see config/ids.ts):
   * name state files, metrics and events after it. Safe as a file name.
   */
  readonly id: string;
  /**
   * Where the instance is in the config, `pipelines.<name>.<role>[i]` or `services[i]`: for
   * messages, not for names that must last. Absent in contexts built by hand (tests).
   */
  readonly location?: string;
  readonly pipeline: string | undefined;
  readonly bus: Bus;
  readonly runtime: Runtime;
  readonly clock: Clock;
  /** Aborted when the plugin should stop. */
  readonly signal: AbortSignal;
  readonly counters: Counters;
  readonly log: PluginLogger;
  /** The running app, for services that observe everything (the web interface). */
  readonly app: AppView;
  /**
   * Set when the source's pipeline parses in worker threads and takes lines as bytes: a source
   * that reads bytes may yield them as `Batch.blocks` (see LineBlock), so its own thread neither
   * decodes lines nor makes an object per line, built in buffers from this bin (the threads give
   * them back). Absent: lines as entries.
   */
  readonly lineBlocks?: BlockBuffers;
}

/**
 * What services can see of the running app (`ctx.app`).
 *
 * @example
 * const states = ctx.app.pipelines().map((p) => `${p.name}: ${p.state}`);
 */
export interface AppView {
  pipelines(): readonly PipelineView[];
  /** The validated config in plain-data form (plugins as `{ use, ...options }`). */
  config(): unknown;
  /**
   * Absolute paths of the files a pipeline writes (its sinks' and sources' `writes`,
   * its dead-letter file), from the validated options, defaults included.
   */
  outputs(pipeline: string): string[];
  /**
   * Whether some sink of the pipeline writes so as to survive a power loss (its definition's
   * `durable`, such as `fsync: true`): a source then fsyncs the positions it saves, and else
   * writes them atomically without (they need only survive a crash or kill -9, as the lines do).
   * Absent (an AppView built by hand): take it as durable.
   */
  durable?(pipeline: string): boolean;
}

/**
 * A pipeline as services see it: its state and its plugins' counters.
 *
 * @example
 * const errors = view.plugins.reduce((n, p) => n + p.counters.errors, 0);
 */
export interface PipelineView {
  readonly name: string;
  readonly state: "starting" | "running" | "stopping" | "stopped" | "failed";
  readonly plugins: ReadonlyArray<{ id: string; name: string; kind: PluginKind; counters: Counters }>;
}

/**
 * Sources yield batches until done or until `ctx.signal` aborts. Yielding is pulled, so a
 * full channel pauses them (backpressure for free). A batch's `ack` is called once its
 * records are durably written by every sink, in order: the place to save a read position.
 *
 * @example
 * const source: Source = {
 *   async *batches() {
 *     for (const text of ["a", "b"]) yield [{ kind: "line", text }];
 *   },
 * };
 */
export interface Source {
  batches(): AsyncIterable<Batch | Entry[]>;
  /** Called once after the iteration ended. */
  close?(): void | Promise<void>;
}

/**
 * Why a parser did not read a line. With `skip`, the line is not a record at all.
 *
 * @example
 * err({ reason: "not a JSON object" }); // tried, failed: the next parser tries
 * err({ reason: "CSV header", skip: true }); // not a record: dropped, counted
 */
export interface ParseIssue {
  reason: string;
  /** The line is not a record and is meant to be skipped (a CSV header): counted as dropped, not as an error. */
  skip?: boolean;
}

/**
 * Parsers try to turn a line into a record; the first success among a pipeline's parsers wins.
 * A decoding parser (docker, cri) may instead return the line's content as a new RawLine with an
 * `envelope`: the parsers after it then parse that content, and when none of them can, the
 * record is the envelope with the content as its message. A parser never throws: build its
 * results with `ok` and `err` from "logsim".
 *
 * @example
 * const parser: Parser = {
 *   parse(line) {
 *     const m = /^(\w+): (.*)$/.exec(line.text);
 *     if (!m) return err({ reason: "expected LEVEL: message" });
 *     return ok({ kind: "record", time: Date.now(), level: normalizeLevel(m[1]!) ?? "INFO", message: m[2]! });
 *   },
 * };
 */
export interface Parser {
  parse(line: RawLine): Result<LogRecord | RawLine, ParseIssue>;
}

/**
 * Transforms return the record (changed or not) or undefined to drop it. The
 * record is theirs to change in place: each record passes through a pipeline's
 * transforms one at a time, before any sink sees it.
 *
 * @example
 * const dropDebug: Transform = { transform: (record) => (record.level === "DEBUG" ? undefined : record) };
 */
export interface Transform {
  transform(record: LogRecord): LogRecord | undefined;
}

/**
 * Sinks write batches. `write` may buffer; `flush` makes everything written so far durable
 * (the records of acknowledged batches must be); `close` flushes and releases, once. The
 * records are shared with other sinks: read them, do not change them.
 *
 * @example
 * const lines: string[] = [];
 * const sink: Sink = {
 *   write: (records) => void lines.push(...records.map((r) => r.message)),
 *   flush: () => {},
 *   close: () => {},
 * };
 */
export interface Sink {
  /** Takes a batch; may buffer. Throw (or reject) when the write cannot be done. */
  write(records: readonly LogRecord[]): void | Promise<void>;
  /**
   * Takes a batch a worker thread encoded with the definition's `encoder` (`count` records);
   * otherwise as `write`. Only called on sinks whose definition has an encoder.
   */
  writeEncoded?(bytes: Uint8Array, count: number): void | Promise<void>;
  /**
   * True when `writeEncoded` is done with its bytes once it returns (or its promise resolves): it
   * copies them, as the jsonl sink's file writer does. They then go back to a worker thread, to be
   * freed there, and read as empty. Leave it out when they may be read later (a stream's `write`
   * keeps the chunk until it is flushed): they then stay with this thread's collector.
   */
  readonly copiesEncoded?: boolean;
  /** Makes everything written so far durable (written to the OS, fsynced if configured). */
  flush(): void | Promise<void>;
  /** Flushes and releases. Called once. */
  close(): void | Promise<void>;
}

/**
 * Services run beside the pipelines: started before them, stopped after them.
 *
 * @example
 * const stopped = new AbortController();
 * const service: Service = {
 *   start: () => void (async () => { while (await ctx.clock.sleep(60_000, stopped.signal)) ctx.log.info("alive"); })(),
 *   stop: () => stopped.abort(),
 * };
 */
export interface Service {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * The instance `create` returns, by kind.
 *
 * @example
 * type MySink = InstanceOf["sink"]; // Sink
 */
export interface InstanceOf {
  source: Source;
  parser: Parser;
  transform: Transform;
  sink: Sink;
  service: Service;
}

type AnySchema = z.ZodType;

/**
 * A plugin's definition: what `definePlugin` takes, and what a config's `{ "use": name }` finds.
 *
 * @example
 * const definition: PluginDefinition<"transform"> = upper.definition;
 */
export interface PluginDefinition<K extends PluginKind = PluginKind, S extends AnySchema = AnySchema> {
  kind: K;
  /** Permanent, kebab-case: sources and sinks are nouns, parsers formats, transforms verbs. */
  name: string;
  description: string;
  schema: S;
  create(options: z.output<S>, ctx: PluginContext): InstanceOf[K] | Promise<InstanceOf[K]>;
  /** Files this instance writes, so two sinks on one path are refused at load. */
  writes?(options: z.output<S>): string[];
  /**
   * Sinks: `true` when a flush survives a power loss, not only a crash of the process (it fsyncs).
   * Sources then make the positions they save as durable (`ctx.app.durable`); when no sink of the
   * pipeline is, a position saved with an fsync would outlast the lines it stands for.
   */
  durable?(options: z.output<S>): boolean;
  /**
   * Parsers and transforms: `true` when an instance keeps no state from one line to the next, so
   * instances in several worker threads give the same records as one (a pipeline's `workers`
   * setting, see core/parallel). Leave it out for per-file state: a CSV header, a multiline joiner.
   */
  parallel?: boolean;
  /**
   * The URL of the module that exports this plugin (`import.meta.url`): how a worker thread finds a
   * plugin that is not built in. Without it, only built-in plugins run in workers.
   */
  module?: string;
  /**
   * Sinks: the bytes `writeEncoded` takes for a batch, made by a pure function of the options (it
   * runs in worker threads). Undefined when these options cannot take encoded batches.
   */
  encoder?(options: z.output<S>): RecordEncoder | undefined;
}

/**
 * Turns a batch of records into the exact bytes a sink's `writeEncoded` appends.
 *
 * @example
 * const encoder: RecordEncoder = (records) => new TextEncoder().encode(records.map((r) => `${r.message}\n`).join(""));
 */
export type RecordEncoder = (records: readonly LogRecord[]) => Uint8Array;

/**
 * A plugin as named in a config: its definition and the options the user wrote (not yet
 * validated), the `id` option included.
 *
 * @example
 * const spec: PluginSpec<"sink"> = jsonl({ path: "out.jsonl" });
 */
export interface PluginSpec<K extends PluginKind = PluginKind> {
  readonly use: string;
  readonly options: unknown;
  readonly definition: PluginDefinition<K>;
}

/**
 * What every plugin accepts besides its own options. The framework reads `id`; a plugin whose
 * schema declares an `id` option of its own (the generator's event tag) receives it too.
 *
 * @example
 * const source = tail({ id: "app", include: "logs/*.log" }); // state file .logsim/state/app.json
 */
export interface InstanceOptions<I extends string = string> {
  /**
   * Stable id of this instance: its state files, metrics and events are named after it. Letters,
   * digits, `.`, `_` and `-`; unique in the config. Default `<pipeline>.<plugin-name>`, then
   * `-2`, `-3`, ... for more of the same plugin in the pipeline (a service's: `<plugin-name>`).
   */
  id?: CheckedId<I>;
}

/** One object type (per union member) rather than an intersection: `as` casts and hovers stay simple. */
type Flat<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;

/**
 * The argument of a plugin's factory: its schema's input and the `id` option.
 *
 * @example
 * type TailArgs = FactoryOptions<typeof tailSchema>; // { include: string | string[]; ...; id?: string }
 */
export type FactoryOptions<S extends AnySchema, I extends string = string> = Flat<z.input<S> & InstanceOptions<I>>;

/**
 * What `definePlugin` returns: the function a config calls with typed options (the schema's
 * input type and `id`; optional when every option has a default), carrying its definition.
 *
 * @example
 * export const upper: PluginFactory<"transform", typeof upperSchema> = definePlugin({ ... });
 */
export type PluginFactory<K extends PluginKind, S extends AnySchema> = (<const I extends string = string>(
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` also matches Record<string, never>
  ...args: {} extends z.input<S> ? [options?: FactoryOptions<S, I>] : [options: FactoryOptions<S, I>]
) => PluginSpec<K>) & { readonly definition: PluginDefinition<K, S> };

/**
 * Defines a plugin and returns its config factory.
 *
 * @example
 * export const upper = definePlugin({
 *   kind: "transform", name: "upper", description: "Upper-cases messages",
 *   schema: z.object({}),
 *   create: () => ({ transform: (r) => ({ ...r, message: r.message.toUpperCase() }) }),
 * });
 * // In logsim.config.ts: `transforms: [upper()]`, or `upper({ id: "shout" })` for a chosen id.
 */
export function definePlugin<K extends PluginKind, S extends AnySchema>(
  definition: PluginDefinition<K, S>,
): PluginFactory<K, S> {
  const factory = (options?: unknown): PluginSpec<K> => ({
    use: definition.name,
    options: options ?? {},
    definition: definition as unknown as PluginDefinition<K>,
  });
  return Object.assign(factory, { definition }) as PluginFactory<K, S>;
}

/**
 * Is `value` what a plugin factory returned?
 *
 * @example
 * isPluginSpec(jsonl()); // true
 */
export function isPluginSpec(value: unknown): value is PluginSpec {
  return typeof value === "object" && value !== null && "definition" in value && "use" in value;
}
