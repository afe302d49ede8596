import type { z } from "zod";
import type { PluginKind, PluginSpec } from "../plugin.ts";
import type { configSchema, pipelineSchema } from "./schema.ts";

/** In a TypeScript config, each plugin is what its factory returned: `tail({ include: "logs/*.log" })`. */
type SpecSchemas = { [K in PluginKind]: z.ZodType<PluginSpec<K>, PluginSpec<K>> };

/** A pipeline as written in logsim.config.ts: the input type of its zod schema (schema.ts). */
export type PipelineConfig = z.input<ReturnType<typeof pipelineSchema<SpecSchemas>>>;

/** A config as written in logsim.config.ts: the input type of its zod schema (schema.ts). */
export type LogsimConfig = z.input<ReturnType<typeof configSchema<SpecSchemas>>>;

/** What a config function receives. */
export interface ConfigContext {
  /** Reads an environment variable through the runtime. */
  env(name: string): string | undefined;
}

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
