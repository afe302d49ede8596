/**
 * logsim's host entry, "logsim/host": for embedding the runtime in a program of
 * your own (load and validate a config, build and run the app, observe its bus).
 * Config and plugin authors need only "logsim".
 *
 * @example
 * import { createApp, detectRuntime, formatError, loadConfig } from "logsim/host";
 * import { builtinPlugins } from "logsim/plugins";
 *
 * const runtime = await detectRuntime();
 * const registry = new Map(builtinPlugins.map((d) => [d.name, d]));
 * const loaded = await loadConfig(runtime, registry, "logsim.config.ts");
 * if (loaded.isErr()) throw new Error(formatError(loaded.error).join("\n"));
 * const app = createApp(loaded.value.config, { runtime });
 * app.bus.on("pipeline:failed", (e) => console.error(e.pipeline, formatError(e.error)));
 * await app.start();
 * @module
 */

/** Building and running an app from a validated config. */
export { createApp, pipelineOutputs, type App, type AppOptions } from "./app.ts";
export { isPluginSpec } from "./plugin.ts";

/** The typed control-plane bus (`on()` returns its own unsubscribe). */
export { createBus, type Bus } from "./bus.ts";

/** The Runtime port (file system, clock, servers, signals) for Bun, Deno or Node, whichever runs this code. */
export { detectRuntime } from "../runtime/detect.ts";
export type { FetchHandler, Runtime, RuntimeName, ServeOptions, Signal } from "./runtime.ts";

/** The bounded FIFO channel between sources and processing: the data plane's backpressure. */
export { Channel, type OverflowPolicy } from "./channel.ts";

/** Finding, loading and validating config files; their JSON Schema and redacted plain form. */
export { loadConfig, findConfigFile, DEFAULT_CONFIG_FILES, type LoadedConfig, type LoadOptions } from "./config/load.ts";
export { validateConfig, type ResolvedConfig, type ResolvedPipeline, type ResolvedPlugin, type PluginRegistry, type ValidateOptions } from "./config/validate.ts";
export { configJsonSchema, plainConfig, redact } from "./config/plain.ts";

/** The real clock, and counters as the runner keeps them per plugin instance. */
export { systemClock, createSystemClock, type Clock } from "./clock.ts";
export { createCounters, type Counters } from "./metrics.ts";

/** Presenting errors, one line per config problem. */
export { formatError, formatIssue, type ConfigIssue, type ErrorKind, type LogsimError } from "./errors.ts";

/** neverthrow's general functions, which the host API returns (`loadConfig` is a ResultAsync). */
export { ok, err, okAsync, errAsync, Result, ResultAsync } from "neverthrow";
