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
  /**
   * A plugin's own metrics, beyond the runner's counters: the current value of each, for instance
   * `plugin` (its `ctx.id`). Each event replaces the instance's previous set, so emit all of them
   * every time (on a timer, and once at close); counters are totals since the instance started.
   * The web interface serves them in `/metrics` and shows them in the pipeline's plugin view.
   */
  "plugin:metrics": { pipeline: string; plugin: string; metrics: readonly PluginMetric[] };
}

/**
 * One named number a plugin publishes with the `plugin:metrics` event. `name` is snake_case,
 * starting with the plugin's name (`nats_sink_published`); in Prometheus text it becomes
 * `logsim_plugin_<name>` (a counter's gets `_total`), labelled with pipeline, id, plugin and kind.
 * A counter only grows (a restart of the instance starts it again at 0); a gauge goes up and down.
 *
 * @example
 * ctx.bus.emit("plugin:metrics", {
 *   pipeline: ctx.pipeline ?? "",
 *   plugin: ctx.id,
 *   metrics: [
 *     { name: "redis_pushed", type: "counter", help: "Records pushed to the Redis list.", value: pushed },
 *     { name: "redis_queue_length", type: "gauge", help: "Length of the Redis list after the last push.", value: length },
 *   ],
 * });
 */
export interface PluginMetric {
  /** `[a-z][a-z0-9_]*`, prefixed with the plugin's name; other characters are replaced by `_` when rendered. */
  name: string;
  type: "counter" | "gauge";
  /** One sentence for Prometheus' `# HELP` line and the dashboard's tooltip. */
  help: string;
  value: number;
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
