/**
 * Verify as a function: the files of an output (and its dead-letter files) against an
 * expectation, read one chunk at a time (gzip-compressed ones decompressed as a stream). What `logsim verify` runs, and what a test
 * that drives a collector can call directly.
 */
import { err, ok, type Result } from "neverthrow";
import type { FileSystem } from "../runtime.ts";
import type { Expectation } from "./expectation.ts";
import { isGzipFile, readGzipLines, readLines } from "./read-lines.ts";
import { Tally, type TallyLimits, type VerifyReport } from "./tally.ts";

export interface VerifyInputs {
  /** Absolute paths of the output's files. */
  actual: readonly string[];
  /** Absolute paths of dead-letter files: their seqs are accounted for, not delivered. */
  deadletter?: readonly string[];
  limits?: TallyLimits;
}

/** A file that cannot be verified: where, and why (one line). */
export interface VerifyFileProblem {
  path: string;
  role: "actual" | "deadletter";
  message: string;
}

/**
 * The report for `inputs` against `expectation`, or the first file that could not be read.
 *
 * @example
 * const report = await verifyFiles(runtime.fs, { source: "test", generators: [{ id: "gen", first: 1, last: 1000 }] }, { actual: ["/tmp/out.jsonl"] });
 * if (report.isOk()) console.log(report.value.totals.lost);
 */
export async function verifyFiles(fs: FileSystem, expectation: Expectation, inputs: VerifyInputs): Promise<Result<VerifyReport, VerifyFileProblem>> {
  const tally = new Tally(expectation, inputs.limits);
  const files = [...new Set(inputs.actual)].map((path) => ({ path, role: "actual" as "actual" | "deadletter" }));
  for (const path of new Set(inputs.deadletter ?? [])) files.push({ path, role: "deadletter" });
  for (const { path, role } of files) {
    try {
      const { line } = tally.file(path, role);
      if (isGzipFile(fs, path)) await readGzipLines(fs, path, line);
      else readLines(fs, path, line);
    } catch (error) {
      return err({ path, role, message: `cannot read it: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return ok(tally.finish());
}
