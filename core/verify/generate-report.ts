/**
 * The report `logsim generate --report FILE` writes, and `logsim verify --expected FILE`
 * reads as what the output should hold. One schema for both sides.
 */
import { z } from "zod";
import type { Expectation, FaultedSeqs } from "./expectation.ts";
import { formatRanges, parseRanges, type SeqRange } from "./seq-bitmap.ts";

export const GENERATE_REPORT_KIND = "logsim.generate-report";
export const GENERATE_REPORT_VERSION = 1;

/** Seq runs as text, `3, 17-18`, parsed to ranges. */
const ranges = z.string().transform((text, ctx) => {
  const parsed = parseRanges(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: `expected seq ranges such as "3, 17-18", got ${JSON.stringify(text.slice(0, 40))}` });
    return z.NEVER;
  }
  return parsed;
});

const count = z.number().int().nonnegative();

export const generatorEntrySchema = z.object({
  id: z.string().min(1),
  /** Events written. */
  count,
  /** Seqs written: first..last (both included); last is 0 when nothing was written. */
  firstSeq: count,
  lastSeq: count,
  seed: z.union([z.number(), z.string()]),
  /** ISO time of the simulated clock's start (`--start-time`), or of the run's start. */
  startTime: z.string(),
  format: z.string(),
  /** The files holding the output (the current one first, then rotated ones still kept), or [] for stdout/NATS. */
  files: z.array(z.string()),
  faults: z.object({
    counts: z.object({ truncated: count, badUtf8: count, overlong: count, noNewline: count }),
    /** The seqs written spoiled, by kind. */
    seqs: z.object({ truncated: ranges, badUtf8: ranges, overlong: ranges, noNewline: ranges }),
    /** False when a very long run had more fault runs than were kept: the seqs above are the first ones only. */
    complete: z.boolean(),
  }),
  /** With `--format apache`: simulated events that were not HTTP requests, so not written (they take no seq). */
  skipped: count,
  /**
   * Seqs whose absence something else explains, with why (a chaos driver: "truncated before read",
   * "rotated file deleted unread"): verify reports them missing but excused, not lost.
   */
  excused: z.array(z.object({ reason: z.string().min(1), seqs: ranges })).default([]),
});

export const generateReportSchema = z.object({
  kind: z.literal(GENERATE_REPORT_KIND),
  version: z.literal(GENERATE_REPORT_VERSION),
  generators: z.array(generatorEntrySchema).min(1),
  /** The options the run used: the generator's, and where it wrote. */
  config: z.record(z.string(), z.unknown()),
});

/** The report as written (seq runs as text). */
export type GenerateReportInput = z.input<typeof generateReportSchema>;
export type GenerateReport = z.output<typeof generateReportSchema>;

/** Fault seqs by kind to the report's text form. */
export function formatFaultSeqs(seqs: Record<keyof FaultedSeqs, readonly SeqRange[]>): Record<keyof FaultedSeqs, string> {
  return { truncated: formatRanges(seqs.truncated), badUtf8: formatRanges(seqs.badUtf8), overlong: formatRanges(seqs.overlong), noNewline: formatRanges(seqs.noNewline) };
}

/** What a parsed report says the output should hold. */
export function expectationOf(report: GenerateReport, source: string): Expectation {
  return {
    source,
    generators: report.generators.map((g) => ({ id: g.id, first: g.firstSeq, last: g.lastSeq, faults: g.faults.seqs, excused: g.excused })),
  };
}
