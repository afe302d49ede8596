/**
 * Did a collector deliver every line? Every delivery assertion of the adversarial suite goes
 * through here, and so through `verifyFiles`: what `logsim verify` runs, with its bitmaps,
 * its line extractor and its dead-letter accounting.
 */
import { existsSync } from "node:fs";
import type { ExcusedSeqs } from "../core/verify/expectation.ts";
import type { SeqRange } from "../core/verify/seq-bitmap.ts";
import type { GeneratorReport, VerifyReport } from "../core/verify/tally.ts";
import { verifyFiles } from "../core/verify/verify-files.ts";
import { nodeFileSystem } from "../runtime/shared/node-fs.ts";

export interface Delivery {
  /** Seqs of 1..count in no output, no dead-letter file and not excused, as `from-to` ranges (the first 1000). */
  lost: string[];
  lostCount: number;
  /** Distinct seqs of 1..count found in the outputs. */
  delivered: number;
  /** Missing seqs that something other than the collector put at risk (a chaos driver's atRisk): lost legitimately. */
  excused: number;
  /** Extra copies of delivered seqs. */
  duplicates: number;
  /** Seqs found in dead-letter files only: accounted for, not delivered. */
  deadLettered: number;
  /** Output lines that are not one whole record of generator `id` with a seq in 1..count: torn, seq-less, foreign ids, out of range. */
  foreign: number;
  /** The whole verify report, for messages. */
  report: VerifyReport;
}

export interface DeliveryExpectation {
  /** The generator id of the records (the writer's `generator` field). */
  id: string;
  /** Seqs 1..count were written. */
  count: number;
  /** Seqs put at risk by the driver, with why (a chaos report's `chaos.atRisk`). */
  atRisk?: ReadonlyArray<SeqRange & { reason?: string }>;
  /** Dead-letter files: their seqs are accounted for, not lost. */
  deadletter?: readonly string[];
}

/** Verifies the outputs (missing files skipped: a collector may not have written yet) against seqs 1..count of `id`. */
export async function verifyDelivery(outputs: readonly string[], expected: DeliveryExpectation): Promise<Delivery> {
  const byReason = new Map<string, SeqRange[]>();
  for (const r of expected.atRisk ?? []) {
    const reason = r.reason ?? "at-risk";
    byReason.set(reason, [...(byReason.get(reason) ?? []), { from: r.from, to: r.to }]);
  }
  const excused: ExcusedSeqs[] = [...byReason].map(([reason, seqs]) => ({ reason, seqs }));
  const present = (files: readonly string[]) => files.filter((f) => existsSync(f));
  const result = await verifyFiles(
    nodeFileSystem,
    { source: "test", generators: [{ id: expected.id, first: 1, last: expected.count, excused }] },
    { actual: present(outputs), deadletter: present(expected.deadletter ?? []) },
  );
  if (result.isErr()) throw new Error(`verify: ${result.error.path}: ${result.error.message}`);
  const report = result.value;
  const mine = report.generators.find((g) => g.id === expected.id)!;
  const others = report.generators.filter((g) => g !== mine).reduce((n, g) => n + g.delivered + g.unexpected.count + g.duplicated.extraCopies, 0);
  const actualFiles = report.files.filter((f) => f.role === "actual");
  const foreign = actualFiles.reduce((n, f) => n + f.torn + f.noSeq, 0) + mine.unexpected.count + others + report.untrackedRecords;
  return {
    lost: mine.lost.ranges.map(rangeText),
    lostCount: mine.lost.count,
    delivered: mine.delivered,
    excused: mine.excused.missing,
    duplicates: mine.duplicated.extraCopies,
    deadLettered: mine.deadLettered.count,
    foreign,
    report,
  };
}

/** One line for an assertion message: what verify found. */
export function describeDelivery(d: Delivery): string {
  const g: GeneratorReport | undefined = d.report.generators[0];
  return `lost ${d.lostCount} (${d.lost.slice(0, 10).join(", ")}${d.lost.length > 10 ? ", ..." : ""}), duplicates ${d.duplicates}, excused ${d.excused}, dead-lettered ${d.deadLettered}, foreign ${d.foreign}, delivered ${g?.delivered ?? 0}`;
}

const rangeText = (r: SeqRange) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`);
