import type { PluginSpec } from "../plugin.ts";
import type { DurationInput } from "./fields.ts";

/**
 * One pipeline: sources -> parsers -> transforms -> sinks.
 *
 * @example
 * const collect: PipelineConfig = { sources: [tail({ include: "logs/*.log" })], parsers: [auto()], sinks: [jsonl()] };
 */
export interface PipelineConfig {
  sources: PluginSpec<"source">[];
  parsers?: PluginSpec<"parser">[];
  transforms?: PluginSpec<"transform">[];
  sinks: PluginSpec<"sink">[];
  /** The bounded channel between sources and processing. */
  channel?: {
    /** Batches held before sources pause (default 16). */
    capacity?: number;
    /** `block` (default) pauses sources; `drop-newest` drops and counts. */
    overflow?: "block" | "drop-newest";
  };
  /** Longest time records wait in a sink's buffer before a flush (default 100ms). */
  flushInterval?: DurationInput;
  /**
   * A line no parser understands is always counted and emitted as `record:parse-failed`; then it is
   * written to the dead-letter file (`deadletter`, the default), dropped (`drop`), or passed on tagged `_parse_error` (`pass`).
   */
  onParseError?: "deadletter" | "drop" | "pass";
  /** The dead-letter JSONL file (default `collected_logs/<pipeline>.deadletter.jsonl`). */
  deadletter?: string;
  /**
   * A sink whose write or flush fails is retried with backoff, doubling from `initialBackoff` (default 100ms)
   * up to `maxBackoff` (default 5s), for as long as the pipeline runs; the other sinks keep writing meanwhile.
   * Once it stops, a sink that starts failing gets `attemptsOnStop` retries (default 5).
   */
  retry?: { initialBackoff?: DurationInput; maxBackoff?: DurationInput; attemptsOnStop?: number };
}

/**
 * A whole config: named pipelines and the services beside them.
 *
 * @example
 * const config: LogsimConfig = { pipelines: { collect }, services: [web()] };
 */
export interface LogsimConfig {
  pipelines: Record<string, PipelineConfig>;
  services?: PluginSpec<"service">[];
  /** How long any plugin hook may take before it is abandoned with an error (default 10s). */
  hookTimeout?: DurationInput;
}

/**
 * What a config function receives.
 *
 * @example
 * export default defineConfig(({ env }: ConfigContext) => ({ pipelines: { main: pipelineFor(env("STAGE")) } }));
 */
export interface ConfigContext {
  /** Reads an environment variable through the runtime. */
  env(name: string): string | undefined;
}

/**
 * What `defineConfig` takes: a config, or a function of the ConfigContext returning one.
 *
 * @example
 * const input: ConfigInput = () => ({ pipelines: {} });
 */
export type ConfigInput = LogsimConfig | ((ctx: ConfigContext) => LogsimConfig | Promise<LogsimConfig>);

/**
 * Identity function that gives `logsim.config.ts` its types.
 *
 * @example
 * export default defineConfig(({ env }) => ({
 *   pipelines: { main: { sources: [heartbeat({ interval: env("LOG_FREQUENCY") ?? "5s" })], sinks: [consoleSink()] } },
 * }));
 */
export function defineConfig<const C extends ConfigInput>(config: C): C {
  return config;
}
