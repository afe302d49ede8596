/** The messages between a pipeline and its parsing workers (see pool.ts and worker-loop.ts). */
import type { LogRecord, RawLine } from "../types.ts";
import type { PluginKind } from "../plugin.ts";
import type { PackedEntries } from "./wire.ts";

/**
 * A plugin as a worker builds it: found by name among the built-ins, or in `module`; its options
 * as the user wrote them, validated again by its schema there (the validated ones may hold
 * compiled objects that do not survive a structured clone).
 */
export interface WorkerPlugin {
  kind: PluginKind;
  name: string;
  module?: string;
  id: string;
  location: string;
  input: unknown;
}

export interface WorkerSetup {
  pipeline: string;
  parsers: WorkerPlugin[];
  transforms: WorkerPlugin[];
  /** Per sink, the sink whose encoder the worker runs; null for a sink that takes records. */
  encoders: Array<WorkerPlugin | null>;
  onParseError: "deadletter" | "drop" | "pass";
  /** Unparsable lines go to the dead-letter file (else `onParseError` drop or pass applies). */
  deadLetter: boolean;
}

/** A line no parser understood: reported (and dead-lettered) by the pipeline. */
export interface FailedLine {
  line: RawLine;
  reason: string;
  time: number;
}

export interface BatchResult {
  seq: number;
  /** Records that came out of the transforms. */
  count: number;
  /** Per sink, its encoding of the records (null: the sink takes `records`). */
  encoded: Array<Uint8Array | null>;
  /** The records, when a sink takes records or someone watches `records:processed`. */
  records?: LogRecord[];
  /** received, emitted, dropped, errors of each parser, then of each transform: what this batch added. */
  counters: Float64Array;
  failed: FailedLine[];
  /** Transforms that threw (the record went on unchanged), by index among the transforms. */
  transformErrors: Array<{ transform: number; message: string }>;
}

export type ToWorker =
  | { type: "setup"; setup: WorkerSetup }
  /**
   * `returned`: buffers of earlier results the sinks have written, given back (transferred) so that
   * they are freed by a worker, whose collector runs often, and not left on the pipeline's thread
   * (see WorkerPool.giveBack).
   */
  | { type: "batch"; seq: number; entries: PackedEntries; wantRecords: boolean; returned?: ArrayBuffer[] };

export type FromWorker =
  | { type: "loaded" }
  | { type: "ready" }
  | { type: "setup-failed"; message: string }
  /** `spent`: the batch's line block buffers, decoded, given back to be filled again. */
  | { type: "result"; result: BatchResult; spent?: ArrayBuffer[] }
  | { type: "batch-failed"; seq: number; message: string };
