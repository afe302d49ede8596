/**
 * Counts what the output holds against what was expected, in bounded memory: per
 * generator a bitmap of the seqs seen (and one of those seen twice, one of those
 * in dead-letter files), so ten million lines take a few MiB whatever their size.
 */
import { excusedRanges, type Expectation, type GeneratorExpectation, type ReasonedRange } from "./expectation.ts";
import { LineExtractor, type Found } from "./extract.ts";
import { forEachRange, SeqBitmap, type SeqRange } from "./seq-bitmap.ts";

/** The id given to records whose line names no generator, when the expectation has more than one. */
export const NO_ID = "(no id)";
/** The generator's default id, expected when a bare count is given and the output holds no record. */
const DEFAULT_ID = "gen";
/** Generator ids tracked at most; more (garbage in the output) are counted together. */
const MAX_GENERATORS = 1000;

export interface OutOfOrder {
  /** Times a generator's seq went backwards from one record to the next. */
  count: number;
  largestStepBack: number;
}

export interface FileReport {
  path: string;
  /** "deadletter" for a --deadletter file: its seqs are accounted for, not delivered. */
  role: "actual" | "deadletter";
  lines: number;
  records: number;
  /** Lines holding a partial record, or several records run together (their seqs still count). */
  torn: number;
  /** Non-blank lines in which no seq was found. */
  noSeq: number;
  /** Lines holding invalid UTF-8 (read as U+FFFD). */
  invalidUtf8: number;
  /** Lines longer than the reader keeps whole; only their start was searched. */
  overlong: number;
  outOfOrder: OutOfOrder;
}

export interface GeneratorReport {
  id: string;
  /** The seqs expected, or undefined for an id the expectation does not name. */
  expected: { first: number; last: number; count: number } | undefined;
  /** Distinct expected seqs found in the output. */
  delivered: number;
  lost: { count: number; ranges: SeqRange[]; rangesTotal: number };
  duplicated: { seqs: number; extraCopies: number; ranges: SeqRange[]; rangesTotal: number };
  outOfOrder: OutOfOrder;
  /** Seqs found only in torn lines. */
  torn: number;
  /** Expected seqs missing from the output but found in dead-letter files. */
  deadLettered: { count: number; ranges: SeqRange[]; rangesTotal: number };
  /**
   * Seqs whose loss is explained, not lost: the generator's faults (each kind, and `after-no-newline`:
   * the line a line without its newline runs into) and the reasons the expectation gives (a chaos
   * driver's). How many there are, how many are missing, and both per reason.
   */
  excused: Excused;
  /** Seqs outside the expected range (first few, and how many). */
  unexpected: { count: number; sample: number[] };
}

export interface Excused {
  count: number;
  missing: number;
  reasons: Record<string, { count: number; missing: number }>;
}

export interface VerifyReport {
  expected: string;
  generators: GeneratorReport[];
  files: FileReport[];
  /** Records of ids beyond the tracked limit (garbage ids). */
  untrackedRecords: number;
  totals: { lines: number; records: number; delivered: number; lost: number; duplicates: number; torn: number; noSeq: number; deadLettered: number };
}

export interface TallyLimits {
  /** Ranges listed per category (lost, duplicated, dead-lettered); the counts stay exact. */
  ranges: number;
  /** Unexpected seqs listed. */
  samples: number;
}

interface Stream {
  id: string;
  expected: GeneratorExpectation | undefined;
  seen: SeqBitmap;
  dups: SeqBitmap;
  dead: SeqBitmap | undefined;
  distinctOutside: number;
  extraCopies: number;
  torn: number;
  unexpected: { count: number; sample: number[] };
  outOfOrder: OutOfOrder;
}

/** One file being read: feed it lines, in order. */
export interface FileTally {
  line(text: string, invalidUtf8: boolean, overlong: boolean): void;
}

export class Tally {
  readonly #expectation: Expectation;
  readonly #limits: TallyLimits;
  readonly #streams = new Map<string, Stream>();
  readonly #files: FileReport[] = [];
  #untracked = 0;

  constructor(expectation: Expectation, limits: TallyLimits = { ranges: 1000, samples: 20 }) {
    this.#expectation = expectation;
    this.#limits = limits;
    for (const g of expectation.generators) this.#stream(g.id);
  }

  /** Starts reading a file; its lines go to the returned FileTally. */
  file(path: string, role: FileReport["role"]): FileTally {
    const report: FileReport = { path, role, lines: 0, records: 0, torn: 0, noSeq: 0, invalidUtf8: 0, overlong: 0, outOfOrder: { count: 0, largestStepBack: 0 } };
    this.#files.push(report);
    const extractor = new LineExtractor();
    const last = new Map<string, number>();
    const found: Found[] = [];
    return {
      line: (text, invalidUtf8, overlong) => {
        report.lines++;
        if (invalidUtf8) report.invalidUtf8++;
        if (overlong) report.overlong++;
        found.length = 0;
        const shape = extractor.read(text, found);
        if (shape === "header") return;
        if (shape === "none") {
          if (text.trim() !== "") report.noSeq++;
          return;
        }
        if (shape === "torn") report.torn++;
        else report.records++;
        for (const f of found) {
          const stream = this.#stream(this.#idOf(f.generator));
          if (stream === undefined) {
            this.#untracked++;
            continue;
          }
          if (role === "deadletter") (stream.dead ??= new SeqBitmap()).add(f.seq);
          else this.#count(stream, f.seq, shape === "torn", last, report);
        }
      },
    };
  }

  #idOf(generator: string | undefined): string {
    if (generator !== undefined) return generator;
    const listed = this.#expectation.generators;
    return listed.length === 1 && !this.#expectation.anyId ? listed[0]!.id : NO_ID;
  }

  #stream(id: string): Stream | undefined {
    let stream = this.#streams.get(id);
    if (stream !== undefined) return stream;
    if (this.#streams.size >= MAX_GENERATORS) return undefined;
    const any = this.#expectation.anyId;
    const expected = this.#expectation.generators.find((g) => g.id === id) ?? (any ? { id, first: any.first, last: any.last } : undefined);
    stream = { id, expected, seen: new SeqBitmap(), dups: new SeqBitmap(), dead: undefined, distinctOutside: 0, extraCopies: 0, torn: 0, unexpected: { count: 0, sample: [] }, outOfOrder: { count: 0, largestStepBack: 0 } };
    this.#streams.set(id, stream);
    return stream;
  }

  #count(stream: Stream, seq: number, torn: boolean, last: Map<string, number>, file: FileReport): void {
    const previous = last.get(stream.id);
    if (previous !== undefined && seq < previous) {
      const step = previous - seq;
      for (const o of [stream.outOfOrder, file.outOfOrder]) {
        o.count++;
        if (step > o.largestStepBack) o.largestStepBack = step;
      }
    }
    last.set(stream.id, seq);
    const e = stream.expected;
    if (e !== undefined && (seq < e.first || seq > e.last)) {
      stream.unexpected.count++;
      if (stream.unexpected.sample.length < this.#limits.samples) stream.unexpected.sample.push(seq);
      return;
    }
    if (torn) stream.torn++;
    if (stream.seen.add(seq)) {
      stream.extraCopies++;
      stream.dups.add(seq);
    } else if (e === undefined) stream.distinctOutside++;
  }

  /** The report: what was lost, duplicated, out of order, torn and dead-lettered, per generator and per file. */
  finish(): VerifyReport {
    // A bare count with nothing found: the generator's default id lost all of it (not "nothing to check").
    if (this.#expectation.anyId && this.#streams.size === 0) this.#stream(DEFAULT_ID);
    const generators = [...this.#streams.values()].map((s) => this.#generatorReport(s));
    const files = this.#files;
    const sum = (f: (g: GeneratorReport) => number) => generators.reduce((n, g) => n + f(g), 0);
    return {
      expected: this.#expectation.source,
      generators,
      files,
      untrackedRecords: this.#untracked,
      totals: {
        lines: files.reduce((n, f) => n + f.lines, 0),
        records: files.filter((f) => f.role === "actual").reduce((n, f) => n + f.records + f.torn, 0),
        delivered: sum((g) => g.delivered),
        lost: sum((g) => g.lost.count),
        duplicates: sum((g) => g.duplicated.extraCopies),
        torn: files.reduce((n, f) => n + f.torn, 0),
        noSeq: files.reduce((n, f) => n + f.noSeq, 0),
        deadLettered: sum((g) => g.deadLettered.count),
      },
    };
  }

  #generatorReport(s: Stream): GeneratorReport {
    const max = this.#limits.ranges;
    const lost = new RangeList(max);
    const dead = new RangeList(max);
    const dups = new RangeList(max);
    const excused: Excused = { count: 0, missing: 0, reasons: {} };
    const e = s.expected;
    let delivered = s.distinctOutside;
    if (e !== undefined) {
      const ranges = excusedRanges(e).map((r) => ({ ...r, from: Math.max(r.from, e.first), to: Math.min(r.to, e.last) })).filter((r) => r.from <= r.to);
      for (const r of ranges) {
        const reason = (excused.reasons[r.reason] ??= { count: 0, missing: 0 });
        reason.count += r.to - r.from + 1;
        excused.count += r.to - r.from + 1;
      }
      const reasonOf = pointerIn(ranges);
      // Each missing seq (in increasing order) is dead-lettered, explained, or lost.
      forEachRange(e.first, e.last, (seq) => !s.seen.has(seq), (range) => {
        for (let seq = range.from; seq <= range.to; seq++) {
          const reason = reasonOf(seq);
          if (s.dead?.has(seq)) dead.add(seq);
          else if (reason !== undefined) {
            excused.missing++;
            excused.reasons[reason]!.missing++;
          } else lost.add(seq);
        }
      });
      delivered = e.last - e.first + 1 - lost.count - dead.count - excused.missing;
    }
    s.dups.forEach((seq) => dups.add(seq));
    const expected = e ? { first: e.first, last: e.last, count: e.last - e.first + 1 } : undefined;
    return {
      id: s.id,
      expected,
      delivered,
      lost: lost.report(),
      duplicated: { seqs: dups.count, extraCopies: s.extraCopies, ranges: dups.ranges, rangesTotal: dups.rangesTotal },
      outOfOrder: s.outOfOrder,
      torn: s.torn,
      deadLettered: dead.report(),
      excused,
      unexpected: s.unexpected,
    };
  }
}

/** Seqs added in increasing order, kept as ranges: all counted, the first `max` ranges listed. */
class RangeList {
  count = 0;
  rangesTotal = 0;
  readonly ranges: SeqRange[] = [];
  readonly #max: number;
  #last = -2;

  constructor(max: number) {
    this.#max = max;
  }

  add(seq: number): void {
    this.count++;
    if (seq !== this.#last + 1) {
      this.rangesTotal++;
      if (this.ranges.length < this.#max) this.ranges.push({ from: seq, to: seq });
    } else if (this.ranges.length === this.rangesTotal) this.ranges[this.ranges.length - 1]!.to = seq;
    this.#last = seq;
  }

  report(): { count: number; ranges: SeqRange[]; rangesTotal: number } {
    return { count: this.count, ranges: this.ranges, rangesTotal: this.rangesTotal };
  }
}

/** The reason of the range holding `seq`, for seqs asked in increasing order. */
function pointerIn(ranges: readonly ReasonedRange[]): (seq: number) => string | undefined {
  let i = 0;
  return (seq) => {
    while (i < ranges.length && ranges[i]!.to < seq) i++;
    return i < ranges.length && ranges[i]!.from <= seq ? ranges[i]!.reason : undefined;
  };
}
