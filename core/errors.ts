/**
 * Errors are plain data with a stable `kind`. They are returned in a Result
 * at every boundary; `runtime/cli.ts` is the one place that turns them into
 * text and an exit code.
 */
import { formatSyntaxProblem, type SyntaxProblem } from "./config/syntax.ts";

/**
 * One problem in a config file, with where it is.
 *
 * @example
 * formatIssue({ path: "pipelines.main.sinks[0]", plugin: "jsonl", option: "path", message: "expected a file path" });
 */
export interface ConfigIssue {
  /** Dotted path into the config, e.g. `pipelines.heartbeat.sinks[1]`. */
  path: string;
  /** Plugin name at that path, when the problem is inside a plugin's options. */
  plugin?: string;
  /** Path inside the plugin's options, e.g. `maxBytes`. */
  option?: string;
  message: string;
}

/**
 * An error as plain data with a stable `kind`, returned (never thrown) across every boundary.
 * A plugin may simply throw: the runner stamps the plugin and hook (`plugin.hook-failed`).
 *
 * @example
 * if (error.kind === "sink.write-failed" && error.retryable) scheduleRetry();
 */
export type LogsimError =
  | { kind: "config.not-found"; path: string }
  | { kind: "config.load-failed"; path: string; message: string }
  | { kind: "config.syntax"; path: string; problem: SyntaxProblem }
  | { kind: "config.invalid"; path: string; issues: ConfigIssue[] }
  | { kind: "plugin.hook-failed"; plugin: string; id: string; hook: string; message: string; cause?: unknown }
  | { kind: "plugin.hook-timeout"; plugin: string; id: string; hook: string; ms: number }
  | { kind: "sink.write-failed"; plugin: string; id: string; message: string; retryable: boolean }
  | { kind: "pipeline.workers-failed"; pipeline: string; message: string }
  | { kind: "cli.usage"; message: string }
  | { kind: "input.invalid"; message: string };

/**
 * The stable codes of LogsimError.
 *
 * @example
 * const kind: ErrorKind = "config.invalid";
 */
export type ErrorKind = LogsimError["kind"];

/** Formats one config issue the way users see it: `path plugin > option: message`. */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.path;
  if (issue.plugin) where += ` ${issue.plugin}`;
  if (issue.option) where += `${issue.plugin ? " > " : "."}${issue.option}`;
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * Formats an error as one or more lines, with no stack trace.
 *
 * @example
 * ctx.bus.on("plugin:error", (e) => formatError(e.error).forEach((line) => ctx.log.warn(line)));
 */
export function formatError(error: LogsimError): string[] {
  switch (error.kind) {
    case "config.not-found":
      return [`Config file not found: ${error.path}`];
    case "config.load-failed":
      return [`Cannot load config ${error.path}: ${error.message}`];
    case "config.syntax":
      return formatSyntaxProblem(error.path, error.problem);
    case "config.invalid":
      return error.issues.map(formatIssue);
    case "plugin.hook-failed":
      return [`Plugin "${error.plugin}" (${error.id}) failed in ${error.hook}: ${error.message}`];
    case "plugin.hook-timeout":
      return [`Plugin "${error.plugin}" (${error.id}) did not finish ${error.hook} within ${error.ms} ms`];
    case "sink.write-failed":
      return [`Sink "${error.plugin}" (${error.id}) cannot write: ${error.message}${error.retryable ? " (retrying until it can)" : ""}`];
    case "pipeline.workers-failed":
      return [`Pipeline "${error.pipeline}": parallel parsing failed: ${error.message}`];
    case "cli.usage":
    case "input.invalid":
      return [error.message];
  }
}

/**
 * The message of anything thrown, without its stack; never throws itself (a thrown Proxy or a throwing `message` getter).
 *
 * @example
 * try { await post(batch); } catch (cause) { ctx.log.warn(`post failed: ${messageOf(cause)}`); }
 */
export function messageOf(cause: unknown): string {
  try {
    if (cause instanceof Error) return String(cause.message);
    return String(cause);
  } catch {
    return "(a thrown value that cannot be shown)";
  }
}
