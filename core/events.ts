import type { LogsimError } from "./errors.ts";
import type { Counters } from "./metrics.ts";
import type { LogRecord } from "./types.ts";

/**
 * The control-plane events: core declares only its own here. A plugin declares the events it
 * emits by declaration merging, in a module of its own that its plugin imports (the generator's
 * are in plugins/generator/events.ts); `ctx.bus.emit` and `bus.on` are then typed for them.
 *
 * @example
 * // my-plugin/events.ts
 * declare module "logsim" {
 *   interface LogsimEvents {
 *     "redact:matched": { pipeline: string; plugin: string; rule: string };
 *   }
 * }
 * export {};
 */
export interface LogsimEvents {
  "pipeline:started": { pipeline: string };
  "pipeline:stopped": { pipeline: string };
  "pipeline:failed": { pipeline: string; error: LogsimError };
  /** Records that did not reach the sinks, with why (filtered, channel-full, parse-error). */
  "records:dropped": { pipeline: string; plugin: string; count: number; reason: string };
  /** Records as they leave the transforms, before the sinks: the tap the web interface reads. */
  "records:processed": { pipeline: string; records: readonly LogRecord[] };
  "record:parse-failed": { pipeline: string; plugin: string; line: string; reason: string; file?: string; offset?: number };
  /** A file sink rotated `path`; `lines`: how many it had written to the file rotated away. */
  "sink:rotated": { pipeline: string; plugin: string; path: string; lines: number };
  "plugin:error": { pipeline: string; plugin: string; error: LogsimError };
  /** A sink (or the dead-letter file) that failed works again, after `retries` retries over `ms`. */
  "sink:recovered": { pipeline: string; plugin: string; retries: number; ms: number };
  /** Every pipeline's state and per-plugin counters, once a second while anyone listens. */
  "metrics:snapshot": { at: number; pipelines: MetricsSnapshot[] };
}

/**
 * One pipeline in a `metrics:snapshot` event.
 *
 * @example
 * bus.on("metrics:snapshot", ({ pipelines }) => pipelines.forEach((p: MetricsSnapshot) => console.log(p.name, p.state)));
 */
export interface MetricsSnapshot {
  name: string;
  state: string;
  plugins: Array<{ id: string; name: string; kind: string; counters: Counters }>;
}
