/** The verify report as people read it: one row per generator, then the details that explain a failure. */
import { formatRanges, type SeqRange } from "./seq-bitmap.ts";
import type { FileReport, GeneratorReport, VerifyReport } from "./tally.ts";

const n = (x: number): string => Math.round(x).toLocaleString("en-US");

/** Ranges, the first `shown` of them, saying how many more there are. */
function ranges(list: readonly SeqRange[], total: number, shown: number): string {
  const text = formatRanges(list.slice(0, shown));
  return total > shown ? `${text} … and ${n(total - shown)} more ranges` : text;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd());
}

const outOfOrder = (o: { count: number; largestStepBack: number }) => (o.count === 0 ? "0" : `${n(o.count)} (back ≤${n(o.largestStepBack)})`);

function generatorRow(g: GeneratorReport): string[] {
  return [
    g.id,
    g.expected ? n(g.expected.count) : "not expected",
    n(g.delivered),
    n(g.lost.count),
    n(g.duplicated.extraCopies),
    outOfOrder(g.outOfOrder),
    n(g.torn),
    n(g.deadLettered.count),
    g.excused.count === 0 ? "0" : `${n(g.excused.missing)}/${n(g.excused.count)}`,
  ];
}

function generatorDetails(g: GeneratorReport, shown: number): string[] {
  const out: string[] = [];
  if (g.lost.count > 0) out.push(`  ${g.id} lost ${n(g.lost.count)}: ${ranges(g.lost.ranges, g.lost.rangesTotal, shown)}`);
  if (g.duplicated.extraCopies > 0) {
    out.push(`  ${g.id} duplicated ${n(g.duplicated.seqs)} seqs (${n(g.duplicated.extraCopies)} extra copies): ${ranges(g.duplicated.ranges, g.duplicated.rangesTotal, shown)}`);
  }
  if (g.deadLettered.count > 0) out.push(`  ${g.id} in dead-letter files ${n(g.deadLettered.count)}: ${ranges(g.deadLettered.ranges, g.deadLettered.rangesTotal, shown)}`);
  if (g.excused.missing > 0) {
    const reasons = Object.entries(g.excused.reasons).filter(([, r]) => r.missing > 0).map(([reason, r]) => `${reason} ${n(r.missing)}/${n(r.count)}`);
    out.push(`  ${g.id} missing but excused ${n(g.excused.missing)}: ${reasons.join(", ")}`);
  }
  if (g.unexpected.count > 0) out.push(`  ${g.id} seqs outside ${g.expected!.first}-${g.expected!.last}: ${n(g.unexpected.count)} (${g.unexpected.sample.slice(0, shown).join(", ")}${g.unexpected.count > shown ? ", …" : ""})`);
  return out;
}

function fileLine(f: FileReport): string | undefined {
  const problems = [
    f.torn > 0 ? `${n(f.torn)} torn` : "",
    f.noSeq > 0 ? `${n(f.noSeq)} without a seq` : "",
    f.invalidUtf8 > 0 ? `${n(f.invalidUtf8)} with invalid UTF-8` : "",
    f.overlong > 0 ? `${n(f.overlong)} over-long (start searched)` : "",
    f.outOfOrder.count > 0 ? `seq went back ${n(f.outOfOrder.count)} times (largest step ${n(f.outOfOrder.largestStepBack)})` : "",
  ].filter(Boolean);
  if (problems.length === 0 && f.records > 0) return undefined;
  return `  ${f.path}${f.role === "deadletter" ? " (dead letter)" : ""}: ${n(f.lines)} lines, ${n(f.records)} records${problems.length ? `; ${problems.join(", ")}` : ""}`;
}

/** The whole report as text: a table, then details (lost ranges, duplicates, files with problems). */
export function formatVerifyReport(report: VerifyReport, options: { shown: number }): string[] {
  const head = ["generator", "expected", "delivered", "lost", "duplicates", "out of order", "torn", "dead-letter", "excused"];
  const lines = table([head, ...report.generators.map(generatorRow)]);
  if (report.generators.length === 0) lines.push("(no generator expected, and no record with a seq found)");
  const details = report.generators.flatMap((g) => generatorDetails(g, options.shown));
  const files = report.files.map(fileLine).filter((l): l is string => l !== undefined);
  if (details.length) lines.push("", ...details);
  if (files.length) lines.push("", "files:", ...files);
  if (report.untrackedRecords > 0) lines.push("", `${n(report.untrackedRecords)} records of further generator ids were not tracked (over 1,000 ids)`);
  return lines;
}
