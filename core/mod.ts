/**
 * logsim's author entry: what config files and plugin authors import from
 * "logsim". The built-in plugins import from here and nowhere else in core,
 * so an outside plugin can do anything a built-in does. Embedding the runtime
 * (createApp, loading and validating configs) is "logsim/host".
 *
 * @example
 * import { definePlugin, type Transform } from "logsim";
 * import { z } from "zod";
 *
 * export const upper = definePlugin({
 *   kind: "transform", name: "upper", description: "Upper-cases messages",
 *   schema: z.strictObject({}),
 *   create: (): Transform => ({ transform: (record) => ({ ...record, message: record.message.toUpperCase() }) }),
 * });
 * @module
 */

// Config files.
export { defineConfig, type ConfigContext, type ConfigInput, type LogsimConfig, type PipelineConfig } from "./config/define.ts";

// Defining plugins, and the contract of each kind.
export { definePlugin } from "./plugin.ts";
export { stateFile, syncState } from "./state-file.ts";
export type {
  AppView, FactoryOptions, InstanceOf, InstanceOptions, Parser, ParseIssue, PipelineView, PluginContext, PluginDefinition, PluginFactory, PluginKind, PluginLogger, PluginSpec, RecordEncoder, Service, Sink, Source, Transform,
} from "./plugin.ts";
export type { Bus } from "./bus.ts";
export type { LogsimEvents, MetricsSnapshot, PluginMetric } from "./events.ts";
export type { Clock } from "./clock.ts";
export type { Counters } from "./metrics.ts";

// Results, as parsers return them (neverthrow's).
export { ok, err, type Result } from "./result.ts";

// Records and lines.
export { LEVELS, LEVEL_RANK, isRawLine, type Batch, type Entry, type Envelope, type Level, type LogRecord, type Origin, type RawLine } from "./types.ts";

// Errors.
export { formatError, messageOf, type LogsimError } from "./errors.ts";

// Option schemas.
export {
  byteSize, duration, filePath, level, minLevel, nonNegativeInt, normalizeLevel, parseByteSize, parseDuration, positiveInt,
  type ByteSizeInput, type DurationInput, type LevelInput,
} from "./config/fields.ts";
export { compileSafeRegex, regexOption, type RegexOptions, type SafeRegex } from "./regex.ts";
export { compileFindAll, type FindAll, type Span } from "./regex-find.ts";
export { checkCondition, compileCondition, conditionShape, type ConditionOptions } from "./conditions.ts";

// Writing lines: formats, templates, JSON, files.
export {
  BUILTIN_LINE_FORMATS, LINE_FORMAT_NAMES, createLineFormat, isLineFormat, lineFormat, CSV_COLUMNS, SYSLOG_FACILITY, SYSLOG_SEVERITY,
  type LineFormat, type LineFormatFactory, type LineFormatName,
} from "./line-format.ts";
export { compileTemplate, DEFAULT_TEMPLATE, isoTimeFormatter } from "./template.ts";
export { recordToJson, jsonLineFormatter, type TagsKey } from "./record-json.ts";
export { FileWriter, type FileWriterOptions, type TornLine } from "./file-writer.ts";
export { LineSplitter, type SplitLine } from "./line-splitter.ts";
export { BlockBuffers, LineBlockBuilder, decodeLine, expandBlock, linesIn, type LineBlock } from "./line-block.ts";
export { markFault, withFaults, type FaultMark, type FormattedLine, type LineFault } from "./line-faults.ts";

// The runtime port plugins reach through `ctx.runtime`.
export { atomicTempTarget } from "./runtime.ts";
export type { AppendFile, FileStat, FileSystem, HttpServer, ParentPort, ReadFile, Runtime, WorkerPort, Writer } from "./runtime.ts";
