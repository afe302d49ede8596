/**
 * logsim's public API: what config files and plugin authors import from "logsim".
 * @module
 */
export { defineConfig, type ConfigContext, type ConfigInput, type LogsimConfig, type PipelineConfig } from "./config/define.ts";
export { duration, level, nonNegativeInt, positiveInt, filePath, parseDuration, normalizeLevel, type DurationInput, type LevelInput } from "./config/fields.ts";
export { loadConfig, findConfigFile, DEFAULT_CONFIG_FILES, type LoadedConfig } from "./config/load.ts";
export { validateConfig, type ResolvedConfig, type ResolvedPipeline, type ResolvedPlugin, type PluginRegistry } from "./config/validate.ts";
export { configJsonSchema, plainConfig, redact } from "./config/plain.ts";
export { definePlugin, isPluginSpec } from "./plugin.ts";
export type {
  AppView, InstanceOf, Parser, ParseIssue, PipelineView, PluginContext, PluginDefinition, PluginFactory, PluginKind, PluginLogger, PluginSpec, Service, Sink, Source, Transform,
} from "./plugin.ts";
export { createApp, type App, type AppOptions } from "./app.ts";
export { createBus, type Bus } from "./bus.ts";
export type { LogsimEvents, MetricsSnapshot, TailedFile } from "./events.ts";
export { Channel, type OverflowPolicy } from "./channel.ts";
export { systemClock, type Clock } from "./clock.ts";
export { FakeClock } from "./fake-clock.ts";
export { createCounters, type Counters } from "./metrics.ts";
export { formatError, formatIssue, messageOf, type ConfigIssue, type ErrorKind, type LogsimError } from "./errors.ts";
export { compileTemplate, DEFAULT_TEMPLATE, isoTimeFormatter } from "./template.ts";
export { createLineFormat, registerLineFormat, lineFormatNames, type LineFormat, type LineFormatFactory } from "./line-format.ts";
export { recordToJson, jsonLineFormatter } from "./record-json.ts";
export { LEVELS, LEVEL_RANK, isRawLine, type Batch, type Entry, type Level, type LogRecord, type Origin, type RawLine } from "./types.ts";
export type { AppendFile, FileStat, FileSystem, ReadFile, Runtime, RuntimeName, Signal, Writer } from "./runtime.ts";
export { ok, err, okAsync, errAsync, Result, ResultAsync } from "neverthrow";
