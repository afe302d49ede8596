/**
 * The tap: every record leaving the transforms is appended to a fixed-size
 * ring (O(1), no copy, no JSON on the hot path). Readers (/api/logs, each SSE
 * stream) read from it by sequence number; a reader that falls more than the
 * ring's size behind loses the oldest records, and the loss is counted: the
 * pipeline never waits for the page.
 */
import type { LogRecord } from "../../core/mod.ts";
import type { RecordFilter } from "./filter.ts";

export interface TapEntry {
  /** 1-based sequence number of the record in the tap. */
  seq: number;
  pipeline: string;
  record: LogRecord;
}

export interface ReadResult {
  entries: TapEntry[];
  /** Records that matched but were left out (sampled) to respect `max`. */
  skipped: number;
  /** Records overwritten before this reader got to them. */
  lost: number;
  /** The sequence number to read from next time. */
  next: number;
  /** The scan stopped at the time budget before reaching the newest record. */
  partial: boolean;
}

/** Text held by the tap at most (UTF-16 units, ~64 MiB): collected lines may be up to 1 MiB each. */
export const DEFAULT_MAX_CHARS = 32 * 1024 * 1024;

export class Ring {
  readonly capacity: number;
  readonly #slots: Array<TapEntry | undefined>;
  /** Approximate size of each slot's record: its raw line, or its message, plus some overhead. */
  readonly #sizes: Float64Array;
  readonly #maxChars: number;
  #chars = 0;
  /** Sequence number of the next record appended; total appended is `#next - 1`. */
  #next = 1;
  #oldest = 1;

  /** Holds the newest `capacity` records, fewer when they would exceed `maxChars` of text: memory is bounded by design. */
  constructor(capacity: number, maxChars = DEFAULT_MAX_CHARS) {
    this.capacity = capacity;
    this.#slots = new Array(capacity);
    this.#sizes = new Float64Array(capacity);
    this.#maxChars = maxChars;
  }

  /** Total records ever appended. */
  get total(): number {
    return this.#next - 1;
  }

  /** Sequence number of the oldest record still held. */
  get oldest(): number {
    return this.#oldest;
  }

  push(pipeline: string, records: readonly LogRecord[]): void {
    for (const record of records) {
      const seq = this.#next++;
      if (seq - this.#oldest >= this.capacity) this.#evictOldest();
      const slot = seq % this.capacity;
      // A parsed record's raw line bounds its fields too; generated records have no raw and small fields.
      const size = (record.raw?.length ?? record.message.length) + 64;
      this.#slots[slot] = { seq, pipeline, record };
      this.#sizes[slot] = size;
      this.#chars += size;
      while (this.#chars > this.#maxChars && this.#oldest < seq) this.#evictOldest();
    }
  }

  #evictOldest(): void {
    const slot = this.#oldest % this.capacity;
    this.#chars -= this.#sizes[slot]!;
    this.#slots[slot] = undefined;
    this.#oldest++;
  }

  /**
   * Visits every record held, newest first, until `budgetMs` passes (then
   * `partial`): for summaries such as the services seen (services.ts).
   */
  scan(visit: (entry: TapEntry) => void, budgetMs = 50, now: () => number = () => performance.now()): { scanned: number; partial: boolean } {
    const deadline = now() + budgetMs;
    let scanned = 0;
    for (let seq = this.#next - 1; seq >= this.#oldest; seq--) {
      if (now() > deadline) return { scanned, partial: true };
      visit(this.#slots[seq % this.capacity]!);
      scanned++;
    }
    return { scanned, partial: false };
  }

  /**
   * Reads the records from `from` on that pass `filter`, keeping the newest
   * `max` of them (newest last). `countSkipped` scans on past `max` to count
   * what was left out. `budgetMs` bounds the scan's time: a regex filter runs
   * in linear time per record, yet a whole ring of long records under a
   * pattern with a large compiled program can take seconds (see filter.ts),
   * so the clock is read before every record (one `now()` is tens of
   * nanoseconds, small beside a filter call).
   */
  read(from: number, filter: RecordFilter, max: number, countSkipped = false, budgetMs = 50, now: () => number = () => performance.now()): ReadResult {
    const oldest = this.oldest;
    const lost = from < oldest ? oldest - from : 0;
    const end = this.#next;
    const out: TapEntry[] = [];
    let matched = 0;
    let partial = false;
    const deadline = now() + budgetMs;
    // Scan newest first, so a full `max` is found without reading the whole ring when filters match often.
    for (let seq = end - 1; seq >= Math.max(from, oldest); seq--) {
      if (now() > deadline) {
        partial = true;
        break;
      }
      const entry = this.#slots[seq % this.capacity]!;
      if (!filter(entry.record, entry.pipeline)) continue;
      matched++;
      if (out.length < max) out.push(entry);
      else if (!countSkipped) break;
    }
    out.reverse();
    return { entries: out, skipped: Math.max(0, matched - out.length), lost, next: end, partial };
  }
}
