/**
 * Whether a pipeline's parsing can run in worker threads, decided at start: every parser and
 * transform must declare `parallel` (no state between lines) and have options a worker can be
 * sent. The whole chain runs in the workers or none of it does: a stateful plugin anywhere keeps
 * the pipeline on one thread, and the reason is said once at start. (Splitting the chain would
 * send every record back across threads as a structured clone, which costs what the workers save.)
 */
import { err, ok, type Result } from "neverthrow";
import type { ResolvedPipeline, ResolvedPlugin } from "../config/validate.ts";
import type { WorkerPlugin, WorkerSetup } from "./protocol.ts";

export function planWorkers(config: ResolvedPipeline): Result<WorkerSetup, string> {
  const chain = [...config.parsers, ...config.transforms];
  for (const plugin of chain) {
    const why = notParallel(plugin);
    if (why) return err(`${plugin.location} (${plugin.definition.name}) ${why}`);
  }
  const encoders = config.sinks.map((sink) => (sink.definition.encoder?.(sink.options as never) && clonable(sink.input) ? workerPlugin(sink) : null));
  return ok({
    pipeline: config.name,
    parsers: config.parsers.map(workerPlugin),
    transforms: config.transforms.map(workerPlugin),
    encoders,
    onParseError: config.onParseError,
    deadLetter: config.parsers.length > 0 && config.onParseError === "deadletter" && config.deadletter !== undefined,
  });
}

/**
 * What `workers` does for this pipeline, in one line (for `logsim validate` and the start); none without the setting.
 *
 * @example
 * const line = describeWorkers(pipeline); // 'pipeline "collect": workers: 2 not used, parsing runs on one thread: ...'
 */
export function describeWorkers(config: ResolvedPipeline): string | undefined {
  if (config.workers === 0) return undefined;
  const plan = planWorkers(config);
  const threads = `${config.workers} worker thread${config.workers === 1 ? "" : "s"}`;
  return plan.isOk() ? `pipeline "${config.name}": parsing and transforms in ${threads}` : `pipeline "${config.name}": workers: ${config.workers} not used, parsing runs on one thread: ${plan.error}`;
}

function notParallel(plugin: ResolvedPlugin): string | undefined {
  if (!plugin.definition.parallel) return "keeps state from line to line (its definition does not declare `parallel`)";
  if (!clonable(plugin.input)) return "has options a worker thread cannot be sent (functions or class instances)";
  return undefined;
}

function workerPlugin(plugin: ResolvedPlugin): WorkerPlugin {
  const { kind, name, module } = plugin.definition;
  return { kind, name, ...(module ? { module } : {}), id: plugin.id, location: plugin.location, input: plugin.input };
}

/** Plain data only: what a structured clone keeps as it is. */
function clonable(value: unknown): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function" && typeof value !== "symbol";
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return value.every(clonable);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(clonable);
}
