/**
 * What `generate --report FILE` writes: the expectation `logsim verify` checks an
 * output against (core/verify/generate-report.ts holds its schema), followed by the
 * run's figures as the summary printed on stderr gives them.
 */
import type { FileSystem } from "../../core/runtime.ts";
import { formatFaultSeqs, GENERATE_REPORT_KIND, GENERATE_REPORT_VERSION, type GenerateReportInput } from "../../core/verify/generate-report.ts";
import type { GeneratorReport } from "../../plugins/generator/mod.ts";
import type { GeneratorInput } from "../../plugins/generator/schema.ts";

export interface ReportContext {
  options: GeneratorInput;
  format: string;
  /** The output file (absolute), undefined for stdout or NATS. */
  output: string | undefined;
  /** Rotated files kept beside the output: output.1 .. output.N. */
  backups: number;
  /** Where the run wrote, as the flags said (output, maxBytes, backups, nats). */
  sink: Record<string, unknown>;
  /** Wall time when the run started (epoch ms). */
  startedAt: number;
  fs: FileSystem;
}

/** The files holding the output now: the current one, then the rotated ones still there. */
function outputFiles(fs: FileSystem, output: string | undefined, backups: number): string[] {
  if (output === undefined) return [];
  const files = [output];
  for (let i = 1; i <= backups; i++) if (fs.stat(`${output}.${i}`)?.isFile) files.push(`${output}.${i}`);
  return files.filter((f) => fs.stat(f)?.isFile);
}

export function generateReport(report: GeneratorReport, ctx: ReportContext): GenerateReportInput & Record<string, unknown> {
  const startTime = ctx.options.startTime;
  const start = startTime === undefined ? ctx.startedAt : typeof startTime === "number" ? startTime : Date.parse(startTime);
  const none = { truncated: [], badUtf8: [], overlong: [], noNewline: [] };
  const { faultSeqs, ...figures } = report;
  return {
    kind: GENERATE_REPORT_KIND,
    version: GENERATE_REPORT_VERSION,
    generators: [
      {
        id: report.generator,
        count: report.emitted,
        firstSeq: 1,
        lastSeq: report.emitted,
        seed: report.seed,
        startTime: new Date(start).toISOString(),
        format: ctx.format,
        files: outputFiles(ctx.fs, ctx.output, ctx.backups),
        faults: { counts: report.faults, seqs: formatFaultSeqs(faultSeqs ?? none), complete: faultSeqs?.complete ?? true },
        skipped: report.skipped,
      },
    ],
    config: { generator: ctx.options, format: ctx.format, ...ctx.sink },
    // The run's figures (rate, bursts, faults), as before this report had a schema.
    ...figures,
  };
}
