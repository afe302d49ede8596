/**
 * A worker's half of a pipeline: the parser chain and the transforms of core/pipeline.ts (#parse,
 * #transform), with the same counting, on a whole batch; then each sink's encoding. What the
 * pipeline does on its own thread (events, dead letters, errors) comes back as data in the result.
 */
import { messageOf } from "../errors.ts";
import type { Counters } from "../metrics.ts";
import type { Parser, RecordEncoder, Transform } from "../plugin.ts";
import { fromEnvelope, isBlank, withEnvelope } from "../pipeline.ts";
import { isRawLine, type Entry, type LogRecord, type RawLine } from "../types.ts";
import type { BatchResult, FailedLine, WorkerSetup } from "./protocol.ts";

export interface Built<T> {
  instance: T;
  counters: Counters;
}

export class BatchProcessor {
  readonly #parsers: Built<Parser>[];
  readonly #transforms: Built<Transform>[];
  readonly #encoders: Array<RecordEncoder | null>;
  readonly #setup: WorkerSetup;
  readonly #now: () => number;
  #failed: FailedLine[] = [];
  #transformErrors: BatchResult["transformErrors"] = [];

  constructor(setup: WorkerSetup, parsers: Built<Parser>[], transforms: Built<Transform>[], encoders: Array<RecordEncoder | null>, now: () => number) {
    this.#setup = setup;
    this.#parsers = parsers;
    this.#transforms = transforms;
    this.#encoders = encoders;
    this.#now = now;
  }

  run(seq: number, entries: readonly Entry[], wantRecords: boolean): BatchResult {
    const records: LogRecord[] = [];
    const transforms = this.#transforms;
    for (const entry of entries) {
      let record: LogRecord | undefined = isRawLine(entry) ? this.#parse(entry) : entry;
      for (let i = 0; record && i < transforms.length; i++) record = this.#transform(i, record);
      if (record) records.push(record);
    }
    const encoded = this.#encoders.map((encode) => (encode && records.length > 0 ? encode(records) : null));
    const needRecords = wantRecords || this.#encoders.some((e) => e === null);
    const result: BatchResult = { seq, count: records.length, encoded, counters: this.#takeCounters(), failed: this.#failed, transformErrors: this.#transformErrors };
    if (needRecords) result.records = records;
    this.#failed = [];
    this.#transformErrors = [];
    return result;
  }

  #parse(line: RawLine): LogRecord | undefined {
    const parsers = this.#parsers;
    if (parsers.length === 0) return { time: this.#now(), level: "INFO", message: line.text, raw: line.text, origin: line.origin };
    if (isBlank(line.text)) {
      const first = parsers[0]!.counters;
      first.received++;
      first.dropped++;
      return undefined;
    }
    let reason = "";
    let current = line;
    for (const parser of parsers) {
      parser.counters.received++;
      const result = parser.instance.parse(current);
      if (result.isOk()) {
        parser.counters.emitted++;
        const value = result.value;
        if (!isRawLine(value)) return current.envelope ? withEnvelope(value, current.envelope) : value;
        current = value;
        continue;
      }
      if (result.error.skip) {
        parser.counters.dropped++;
        return undefined;
      }
      reason = result.error.reason;
    }
    if (current !== line) return fromEnvelope(current, this.#now());
    const last = parsers[parsers.length - 1]!;
    last.counters.errors++;
    const time = this.#now();
    // The original line, as the pipeline's thread reports and dead-letters it (a parser may have used it up).
    this.#failed.push({ line: { kind: "line", text: line.text, ...(line.origin ? { origin: line.origin } : {}) }, reason, time });
    if (this.#setup.deadLetter) return undefined;
    if (this.#setup.onParseError === "drop") {
      last.counters.dropped++;
      return undefined;
    }
    return { time, level: "INFO", message: line.text, raw: line.text, origin: line.origin, tags: ["_parse_error"] };
  }

  #transform(i: number, record: LogRecord): LogRecord | undefined {
    const t = this.#transforms[i]!;
    t.counters.received++;
    try {
      const out = t.instance.transform(record);
      if (out) t.counters.emitted++;
      else t.counters.dropped++;
      return out;
    } catch (cause) {
      t.counters.errors++;
      this.#transformErrors.push({ transform: i, message: messageOf(cause) });
      return record;
    }
  }

  /** What the counters gained since the last batch, four numbers a plugin; then zero again. */
  #takeCounters(): Float64Array {
    const all = [...this.#parsers, ...this.#transforms];
    const out = new Float64Array(all.length * 4);
    all.forEach(({ counters: c }, i) => {
      out.set([c.received, c.emitted, c.dropped, c.errors], i * 4);
      c.received = c.emitted = c.dropped = c.errors = 0;
    });
    return out;
  }
}
