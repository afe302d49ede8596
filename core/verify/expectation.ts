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

export interface GeneratorExpectation {
  id: string;
  /** First and last seq written (both included). */
  first: number;
  last: number;
  faults?: FaultedSeqs;
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
 * The seqs whose absence a fault explains. A line written without its newline runs into the
 * next one, so a reader sees the two as one line: the seq after it is excused too.
 */
export function excusedRanges(faults: FaultedSeqs | undefined): SeqRange[] {
  if (!faults) return [];
  const all = [...faults.truncated, ...faults.badUtf8, ...faults.overlong, ...faults.noNewline.map((r) => ({ from: r.from, to: r.to + 1 }))];
  all.sort((a, b) => a.from - b.from);
  const merged: SeqRange[] = [];
  for (const r of all) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else merged.push({ ...r });
  }
  return merged;
}
