/**
 * What `--report` writes: the expectation `logsim verify` checks a collector's
 * output against (as `generate --report` gives: the generator id, the seqs
 * written, the seed), and what chaos did: every event, and the lines each put
 * at risk. A line at risk was lost by the driver if the collector lost it, not
 * by the collector; any other missing line is the collector's.
 */
import type { ChaosEvent } from "./event-log.ts";
import type { DriverResult } from "./driver.ts";
import type { ChaosRun } from "./options.ts";

export interface ChaosReport {
  version: 1;
  kind: "logsim-chaos";
  /** As in the generator's report: the id on every line, the lines written (seqs 1..emitted), the seed. */
  generator: string;
  emitted: number;
  seed: number | string;
  format: string;
  generators: Array<{ id: string; firstSeq: number; lastSeq: number; count: number }>;
  chaos: {
    path: string;
    rate: number;
    events: string;
    generations: number;
    elapsedMs: number;
    /** Lines at risk by the driver's own doing, each with the index of its event in `log`. */
    atRisk: DriverResult["atRisk"];
    /** Seqs each data file held at the end, by path relative to the log's folder. */
    files: DriverResult["files"];
    log: readonly ChaosEvent[];
  };
}

export function chaosReport(run: ChaosRun, result: DriverResult, log: readonly ChaosEvent[]): ChaosReport {
  return {
    version: 1,
    kind: "logsim-chaos",
    generator: run.id,
    emitted: result.written,
    seed: run.seed,
    format: run.format,
    generators: result.written > 0 ? [{ id: run.id, firstSeq: 1, lastSeq: result.written, count: result.written }] : [],
    chaos: { path: run.path, rate: run.rate, events: run.mixText, generations: run.generations, elapsedMs: Math.round(result.elapsedMs), atRisk: result.atRisk, files: result.files, log },
  };
}

/** The summary's line on lines at risk, by reason. */
export function formatAtRisk(atRisk: DriverResult["atRisk"]): string {
  if (atRisk.length === 0) return "no line was put at risk by the driver: any missing line is the collector's";
  const by = new Map<string, number>();
  for (const r of atRisk) by.set(r.reason, (by.get(r.reason) ?? 0) + (r.to - r.from + 1));
  return `lines put at risk by the driver (lost legitimately if the collector had not read them): ${[...by].map(([reason, n]) => `${reason} ${n}`).join(", ")}`;
}
