import type { z } from "zod";
import type { PluginKind, PluginSpec } from "../plugin.ts";
import type { configSchema, pipelineSchema } from "./schema.ts";

/** In a TypeScript config, each plugin is what its factory returned: `tail({ include: "logs/*.log" })`. */
type SpecSchemas = { [K in PluginKind]: z.ZodType<PluginSpec<K>, PluginSpec<K>> };

/**
 * One pipeline as written in logsim.config.ts: sources -> parsers -> transforms -> sinks, and its settings.
 * The input type of its zod schema (schema.ts), the one definition of the shape.
 *
 * @example
 * const collect: PipelineConfig = { sources: [tail({ include: "logs/*.log" })], parsers: [auto()], sinks: [jsonl()] };
 */
export type PipelineConfig = z.input<ReturnType<typeof pipelineSchema<SpecSchemas>>>;

/**
 * A whole config as written in logsim.config.ts: named pipelines and the services beside them.
 * The input type of its zod schema (schema.ts).
 *
 * @example
 * const config: LogsimConfig = { pipelines: { collect }, services: [web()] };
 */
export type LogsimConfig = z.input<ReturnType<typeof configSchema<SpecSchemas>>>;

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
