/**
 * A worker's half of a pipeline: the parser chain and the transforms (core/parse-chain.ts, the same
 * chain the pipeline runs on its own thread) on a whole batch; then each sink's encoding. What the
 * pipeline does on its own thread (events, dead letters, errors) comes back as data in the result.
 */
import { messageOf } from "../errors.ts";
import { ParseChain, type ChainStage } from "../parse-chain.ts";
import type { Parser, RecordEncoder, Transform } from "../plugin.ts";
import type { Entry, LogRecord } from "../types.ts";
import type { BatchResult, FailedLine, WorkerSetup } from "./protocol.ts";

export type Built<T> = ChainStage<T>;

export class BatchProcessor {
  readonly #stages: readonly Built<unknown>[];
  readonly #encoders: Array<RecordEncoder | null>;
  readonly #chain: ParseChain;
  #failed: FailedLine[] = [];
  #transformErrors: BatchResult["transformErrors"] = [];

  constructor(setup: WorkerSetup, parsers: Built<Parser>[], transforms: Built<Transform>[], encoders: Array<RecordEncoder | null>, now: () => number) {
    this.#stages = [...parsers, ...transforms];
    this.#encoders = encoders;
    this.#chain = new ParseChain({
      parsers,
      transforms,
      onParseError: setup.onParseError,
      deadLetter: setup.deadLetter,
      now,
      hooks: {
        // The original line, as the pipeline's thread reports and dead-letters it (a parser may have used it up).
        parseFailed: (line, reason, time) => void this.#failed.push({ line: { kind: "line", text: line.text, ...(line.origin ? { origin: line.origin } : {}) }, reason, time }),
        transformFailed: (transform, cause) => void this.#transformErrors.push({ transform, message: messageOf(cause) }),
      },
    });
  }

  run(seq: number, entries: readonly Entry[], wantRecords: boolean): BatchResult {
    const records: LogRecord[] = [];
    this.#chain.runAll(entries, records);
    const encoded = this.#encoders.map((encode) => (encode && records.length > 0 ? encode(records) : null));
    const needRecords = wantRecords || this.#encoders.some((e) => e === null);
    const result: BatchResult = { seq, count: records.length, encoded, counters: this.#takeCounters(), failed: this.#failed, transformErrors: this.#transformErrors };
    if (needRecords) result.records = records;
    this.#failed = [];
    this.#transformErrors = [];
    return result;
  }

  /** What the counters gained since the last batch, four numbers a plugin (parsers, then transforms); then zero again. */
  #takeCounters(): Float64Array {
    const out = new Float64Array(this.#stages.length * 4);
    this.#stages.forEach(({ counters: c }, i) => {
      out.set([c.received, c.emitted, c.dropped, c.errors], i * 4);
      c.received = c.emitted = c.dropped = c.errors = 0;
    });
    return out;
  }
}
