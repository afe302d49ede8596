/**
 * The rules every line follows from parsers to transforms, in one place: the pipeline runs them on
 * its own thread (core/pipeline.ts) and the parsing workers on theirs (core/parallel/batch-processor.ts),
 * so the two can never count, drop or pass a line differently.
 *
 * - No parsers: a line becomes an INFO record with the line as its message.
 * - A blank line is not a record and not an error: received and dropped by the first parser.
 * - Parsers run in order; the first record wins. A decoding parser's line (with an `envelope`) goes
 *   on to the next parsers; its envelope fills in what their record lacks, or becomes the record
 *   when none of them reads the content. A `skip` result drops the line (counted as dropped).
 * - A line no parser read: the last parser counts an error and `parseFailed` reports it; then it is
 *   dead-lettered (kept by the caller), dropped (`drop`, counted) or passed on tagged `_parse_error`.
 * - Transforms run in order: a record returned goes on, none drops it; one that throws is counted,
 *   reported by `transformFailed`, and the record goes on unchanged.
 *
 * What happens to a failure beyond counting (an event, a dead letter, a message back to the main
 * thread) differs per thread, so it is the caller's, through the hooks: the chain allocates nothing
 * per line beyond what the plugins return.
 */
import type { Counters } from "./metrics.ts";
import type { Parser, Transform } from "./plugin.ts";
import { isRawLine, type Entry, type Envelope, type LogRecord, type RawLine } from "./types.ts";

/** A parser or transform as the chain runs it: the instance and its counters. */
export interface ChainStage<T> {
  instance: T;
  counters: Counters;
}

/** What the caller does with failures; counting is done already when these are called. */
export interface ParseChainHooks {
  /** A line no parser read (`reason`: the last parser's), at `time`. With dead letters, the caller keeps it. */
  parseFailed(line: RawLine, reason: string, time: number): void;
  /** The transform at `index` threw `cause`; the record went on unchanged. */
  transformFailed(index: number, cause: unknown): void;
}

export interface ParseChainOptions {
  parsers: readonly ChainStage<Parser>[];
  transforms: readonly ChainStage<Transform>[];
  /** The pipeline's `onParseError`. */
  onParseError: "deadletter" | "drop" | "pass";
  /** A dead-letter file takes unparsable lines; without one, `deadletter` passes them on as `pass` does. */
  deadLetter: boolean;
  /** Wall-clock ms: the time of records made from a line without one, and of failures. */
  now: () => number;
  hooks: ParseChainHooks;
}

/** What becomes of a line no parser read, once reported. */
type Unparsable = "deadletter" | "drop" | "pass";

export class ParseChain {
  readonly #parsers: readonly ChainStage<Parser>[];
  readonly #transforms: readonly ChainStage<Transform>[];
  readonly #unparsable: Unparsable;
  readonly #now: () => number;
  readonly #hooks: ParseChainHooks;

  constructor(options: ParseChainOptions) {
    this.#parsers = options.parsers;
    this.#transforms = options.transforms;
    this.#unparsable = options.deadLetter ? "deadletter" : options.onParseError === "drop" ? "drop" : "pass";
    this.#now = options.now;
    this.#hooks = options.hooks;
  }

  /**
   * Every entry through the chain: the records that come out are pushed onto `into`, in order.
   *
   * @example
   * const records: LogRecord[] = [];
   * chain.runAll(batch.entries, records);
   */
  runAll(entries: readonly Entry[], into: LogRecord[]): void {
    for (let i = 0; i < entries.length; i++) {
      const record = this.run(entries[i]!);
      if (record !== undefined) into.push(record);
    }
  }

  /** One entry through the chain: a line is parsed first, a record goes straight to the transforms. */
  run(entry: Entry): LogRecord | undefined {
    let record: LogRecord | undefined = isRawLine(entry) ? this.parse(entry) : entry;
    const transforms = this.#transforms;
    for (let i = 0; record !== undefined && i < transforms.length; i++) record = this.#transform(i, record);
    return record;
  }

  /** One line through the parsers: its record, or undefined when it was dropped, skipped or dead-lettered. */
  parse(line: RawLine): LogRecord | undefined {
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
    for (let i = 0; i < parsers.length; i++) {
      const parser = parsers[i]!;
      parser.counters.received++;
      const result = parser.instance.parse(current);
      if (result.isOk()) {
        parser.counters.emitted++;
        const value = result.value;
        if (!isRawLine(value)) return current.envelope ? withEnvelope(value, current.envelope) : value;
        current = value; // Decoded: the parsers after this one parse the content.
        continue;
      }
      if (result.error.skip) {
        parser.counters.dropped++;
        return undefined;
      }
      reason = result.error.reason;
    }
    if (current !== line) return fromEnvelope(current, this.#now());
    return this.#unread(line, reason);
  }

  /** Never silently dropped: counted and reported, then dead-lettered, dropped on request, or passed on tagged. */
  #unread(line: RawLine, reason: string): LogRecord | undefined {
    const last = this.#parsers[this.#parsers.length - 1]!.counters;
    last.errors++;
    const time = this.#now();
    this.#hooks.parseFailed(line, reason, time);
    if (this.#unparsable === "deadletter") return undefined;
    if (this.#unparsable === "drop") {
      last.dropped++;
      return undefined;
    }
    return { time, level: "INFO", message: line.text, raw: line.text, origin: line.origin, tags: ["_parse_error"] };
  }

  #transform(index: number, record: LogRecord): LogRecord | undefined {
    const t = this.#transforms[index]!;
    t.counters.received++;
    try {
      const out = t.instance.transform(record);
      if (out) t.counters.emitted++;
      else t.counters.dropped++;
      return out;
    } catch (cause) {
      // A bad record never stops the pipeline: count it and pass it on unchanged.
      t.counters.errors++;
      this.#hooks.transformFailed(index, cause);
      return record;
    }
  }
}

/** Empty or white space only; a line that starts with a visible ASCII character is decided by one comparison. */
export const isBlank = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return text.length === 0 || ((c <= 32 || c >= 0xa0) && text.trim().length === 0);
};

/** A record whose content was decoded from an envelope: the envelope's fields fill in those it lacks. */
export function withEnvelope(record: LogRecord, envelope: Envelope): LogRecord {
  if (envelope.fields) {
    const fields = (record.fields ??= {});
    for (const key of Object.keys(envelope.fields)) if (!Object.hasOwn(fields, key)) fields[key] = envelope.fields[key];
  }
  if (record.service === undefined && envelope.service !== undefined) record.service = envelope.service;
  return record;
}

/** The record of a decoded line no later parser understood: the envelope, with the content as its message. */
export function fromEnvelope(line: RawLine, now: number): LogRecord {
  const e = line.envelope ?? {};
  const record: LogRecord = { time: e.time ?? now, level: e.level ?? "INFO", message: line.text, raw: line.text, origin: line.origin };
  if (e.service !== undefined) record.service = e.service;
  if (e.fields) record.fields = { ...e.fields };
  return record;
}
