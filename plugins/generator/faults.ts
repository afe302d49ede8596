/**
 * Chooses which events become malformed lines. One roll per event on a
 * stream of its own, so a seeded run marks the same events every time, and
 * every fault is counted for the generator's report.
 */
import { markFault, type LineFault, type LogRecord } from "../../core/mod.ts";
import { Random } from "./random.ts";

export interface FaultOptions {
  truncated: number;
  badUtf8: number;
  overlong: number;
  noNewline: number;
  overlongBytes: number;
}

export interface FaultCounts {
  truncated: number;
  badUtf8: number;
  overlong: number;
  noNewline: number;
}

/** A run of consecutive seqs, both ends included. */
export interface SeqRange {
  from: number;
  to: number;
}

/** The seqs written spoiled, by kind, as runs: what `verify` needs to tell a fault from a loss. */
export type FaultedSeqs = Record<keyof FaultCounts, SeqRange[]>;

/** Runs kept per kind; past this (a long run with many faults) the list stops and says it is incomplete. */
const MAX_RANGES = 100_000;

type Kind = keyof FaultCounts;
const LINE_KIND: Record<Exclude<Kind, "overlong">, LineFault> = { truncated: "truncated", badUtf8: "bad-utf8", noNewline: "no-newline" };

export class FaultInjector {
  readonly counts: FaultCounts = { truncated: 0, badUtf8: 0, overlong: 0, noNewline: 0 };
  readonly seqs: FaultedSeqs = { truncated: [], badUtf8: [], overlong: [], noNewline: [] };
  /** False once a kind had more runs than are kept. */
  seqsComplete = true;
  readonly #random: Random;
  readonly #thresholds: Array<[number, Kind]> = [];
  readonly #padding: string;

  constructor(options: FaultOptions, seed: number | string) {
    this.#random = new Random(seed, "faults");
    let sum = 0;
    for (const kind of ["truncated", "badUtf8", "overlong", "noNewline"] as const) {
      if (options[kind] > 0) this.#thresholds.push([(sum += options[kind]), kind]);
    }
    if (sum > 1) throw new RangeError("The fault fractions add up to more than 1");
    this.#padding = "x".repeat(options.overlongBytes);
  }

  /** Maybe marks `record` (overlong pads it in place); returns the fault chosen. */
  apply(record: LogRecord): Kind | undefined {
    const u = this.#random.next();
    const at = this.#random.next();
    for (const [threshold, kind] of this.#thresholds) {
      if (u >= threshold) continue;
      this.counts[kind]++;
      this.#remember(kind, record.fields?.seq);
      // An over-long line is still a well-formed record, so it is made long at the source, whatever the format.
      if (kind === "overlong") record.fields = { ...record.fields, padding: this.#padding };
      else markFault(record, { kind: LINE_KIND[kind], at });
      return kind;
    }
    return undefined;
  }

  #remember(kind: Kind, seq: unknown): void {
    if (typeof seq !== "number") return;
    const runs = this.seqs[kind];
    const last = runs[runs.length - 1];
    if (last !== undefined && last.to + 1 === seq) last.to = seq;
    else if (runs.length < MAX_RANGES) runs.push({ from: seq, to: seq });
    else this.seqsComplete = false;
  }
}
