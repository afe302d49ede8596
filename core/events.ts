import type { LogsimError } from "./errors.ts";
import type { Counters } from "./metrics.ts";
import type { LogRecord } from "./types.ts";

/**
 * The control-plane events. Plugins add their own by declaration merging:
 *
 * @example
 * declare module "logsim" { interface LogsimEvents { "generator:burst-started": { multiplier: number } } }
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
  /** A generator's achieved rate, about once a second. */
  "generator:stats": { pipeline: string; plugin: string; emitted: number; rate: number; targetRate: number; burst: boolean };
  "generator:burst-started": { pipeline: string; plugin: string; multiplier: number; durationMs: number };
  "generator:burst-ended": { pipeline: string; plugin: string };
  /** The files a tail source follows, about once a second. `id` is opaque: the web UI never takes a path. */
  "tail:files": { pipeline: string; plugin: string; files: TailedFile[] };
}

export interface MetricsSnapshot {
  name: string;
  state: string;
  plugins: Array<{ id: string; name: string; kind: string; counters: Counters }>;
}

export interface TailedFile {
  id: string;
  path: string;
  position: number;
  size: number;
  /** Bytes not yet read: size - position. */
  lag: number;
  /** "unreadable": under the globs but cannot be opened (permissions); retried at every scan. */
  state: "active" | "rotated" | "deleted" | "unreadable";
  /** Why an unreadable file cannot be read. */
  error?: string;
}
