/**
 * What `verify` expects: per generator id, the seqs it wrote ([first, last]) and
 * the seqs it wrote spoiled on purpose (the generator's faults), whose absence
 * is accounted for rather than lost.
 */
import type { SeqRange } from "./seq-bitmap.ts";

/** The faults a generator injected, by kind: the seqs written spoiled. */
export interface FaultedSeqs {
  truncated: SeqRange[];
  badUtf8: SeqRange[];
  overlong: SeqRange[];
  noNewline: SeqRange[];
}

/**
 * Seqs whose absence something other than the collector explains, with why: a chaos driver
 * truncating a file before it was read, deleting a rotated file, and so on.
 */
export interface ExcusedSeqs {
  reason: string;
  seqs: SeqRange[];
}

export interface GeneratorExpectation {
  id: string;
  /** First and last seq written (both included). */
  first: number;
  last: number;
  faults?: FaultedSeqs;
  excused?: ExcusedSeqs[];
}

/** A run of excused seqs with its reason. */
export interface ReasonedRange extends SeqRange {
  reason: string;
}

/**
 * The expectation. `generators` lists known ids; `anyId`, when set, applies to every id
 * found in the output that is not listed (a bare count: `--expected 10000`).
 */
export interface Expectation {
  generators: GeneratorExpectation[];
  anyId?: { first: number; last: number };
  /** Where it came from, for the report: a file name or the spec as typed. */
  source: string;
}

/**
 * The seqs whose absence is explained, sorted and without overlaps (an overlap goes to the run
 * that starts first): the generator's faults by kind, and the excused seqs by their reason. A
 * line written without its newline runs into the next one, so a reader sees the two as one
 * line: the seq after it is excused too (reason `after-no-newline`).
 */
export function excusedRanges(g: Pick<GeneratorExpectation, "faults" | "excused">): ReasonedRange[] {
  const f = g.faults;
  const tag = (reason: string, ranges: readonly SeqRange[]) => ranges.map((r) => ({ reason, from: r.from, to: r.to }));
  const all: ReasonedRange[] = f
    ? [...tag("truncated", f.truncated), ...tag("bad-utf8", f.badUtf8), ...tag("overlong", f.overlong), ...tag("no-newline", f.noNewline), ...tag("after-no-newline", f.noNewline.map((r) => ({ from: r.from + 1, to: r.to + 1 })))]
    : [];
  for (const e of g.excused ?? []) all.push(...tag(e.reason, e.seqs));
  all.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: ReasonedRange[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    const from = last ? Math.max(r.from, last.to + 1) : r.from;
    if (from > r.to) continue;
    if (last && last.reason === r.reason && last.to + 1 === from) last.to = r.to;
    else out.push({ reason: r.reason, from, to: r.to });
  }
  return out;
}
