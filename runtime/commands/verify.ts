/**
 * `logsim verify`: did the output get every event the generator wrote? Reads the
 * output (logsim's JSONL, or any JSON or text that kept `seq` and `generator`) in
 * bounded memory and reports per generator what was lost, duplicated, out of order,
 * torn or dead-lettered. Exit 0 when nothing was lost, 1 when something was (or
 * duplicates exceed --max-duplicates), 2 for bad arguments or unreadable files.
 */
import { err, ok, type Result } from "neverthrow";
import { resolve } from "node:path";
import type { LogsimError } from "../../core/errors.ts";
import type { FileSystem, Runtime } from "../../core/runtime.ts";
import { formatVerifyReport } from "../../core/verify/format.ts";
import type { VerifyReport } from "../../core/verify/tally.ts";
import { verifyFiles } from "../../core/verify/verify-files.ts";
import { compileGlob } from "../../plugins/tail/glob.ts";
import type { Command, OptionSpec, ParsedArgs } from "./command.ts";
import { formatCount } from "./format-numbers.ts";
import { loadExpectation } from "./_verify-expected.ts";

const options: Record<string, OptionSpec> = {
  expected: { type: "string", short: "e", value: "SPEC", description: "What was written: a generate --report file, a count (10000: seqs 1..10000 per generator id), or count=N[,seed=S,id=ID,fault-truncated=P,...]" },
  actual: { type: "string", short: "a", multiple: true, value: "GLOB", description: "Output to check: files or globs (repeatable; further arguments are taken as --actual too)" },
  deadletter: { type: "string", short: "d", multiple: true, value: "GLOB", description: "Dead-letter files or globs: their seqs are accounted for, reported apart, not lost (one not there is taken as empty)" },
  "max-duplicates": { type: "string", value: "N", description: "Fail (exit 1) when more than N extra copies are found (default: duplicates are reported, not failed)" },
  show: { type: "string", value: "N", description: "Ranges listed per category in the text report (default 10; --json lists up to 1000)" },
  json: { type: "boolean", description: "Print the report as JSON on stdout" },
};

const usage = (message: string): LogsimError => ({ kind: "cli.usage", message });
const isMagic = (input: string) => /[*?[{]/.test(input);

/**
 * The files named by `flag` (globs expanded, sorted), or one line per name that matches nothing.
 * A dead-letter file that is not there is none: logsim creates it at the first dead line only.
 */
function expandInputs(flag: "actual" | "deadletter", inputs: readonly string[], fs: FileSystem, cwd: string, problems: string[]): string[] {
  const optional = flag === "deadletter";
  const files: string[] = [];
  for (const input of inputs) {
    if (isMagic(input)) {
      const found = compileGlob(input, cwd).expand(fs).filter((p) => fs.stat(p)?.isFile).sort();
      if (found.length === 0 && !optional) problems.push(`--${flag} '${input}' matches no file in ${cwd}`);
      files.push(...found);
      continue;
    }
    const path = resolve(cwd, input);
    const stat = fs.stat(path);
    if (!stat) {
      if (!optional) problems.push(`--${flag} ${input}: no such file`);
    }
    else if (stat.isDirectory) problems.push(`--${flag} ${input}: is a folder (try '${input.replace(/\/$/, "")}/*.jsonl')`);
    else files.push(path);
  }
  return files;
}

function wholeNumber(values: ParsedArgs["values"], name: string, problems: string[]): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || !Number.isSafeInteger(n)) problems.push(`--${name}: expected a whole number, got "${raw}"`);
  return n;
}

/** Exit 0 when nothing was lost (and duplicates are within --max-duplicates), else 1. */
export function verdict(report: VerifyReport, maxDuplicates: number | undefined): { code: number; line: string } {
  const { lost, duplicates, deadLettered } = report.totals;
  const excused = report.generators.reduce((n, g) => n + g.excused.missing, 0);
  const notes = [
    duplicates > 0 ? `${formatCount(duplicates)} duplicates` : "",
    deadLettered > 0 ? `${formatCount(deadLettered)} in dead-letter files` : "",
    excused > 0 ? `${formatCount(excused)} missing but excused: spoiled on purpose or erased by the driver` : "",
  ].filter(Boolean);
  const tail = notes.length ? ` (${notes.join(", ")})` : "";
  if (lost > 0) return { code: 1, line: `FAILED: ${formatCount(lost)} lost${tail}` };
  if (maxDuplicates !== undefined && duplicates > maxDuplicates) return { code: 1, line: `FAILED: ${formatCount(duplicates)} duplicates, more than --max-duplicates ${maxDuplicates}` };
  return { code: 0, line: `OK: nothing lost${tail}` };
}

async function runVerify({ values, positionals }: ParsedArgs, runtime: Runtime): Promise<Result<number, LogsimError>> {
  const { fs } = runtime;
  const cwd = runtime.cwd();
  const problems: string[] = [];
  const maxDuplicates = wholeNumber(values, "max-duplicates", problems);
  const shown = wholeNumber(values, "show", problems) ?? 10;
  const actualNames = [...((values.actual as string[] | undefined) ?? []), ...positionals];
  if (values.expected === undefined) problems.push("--expected is required: a generate --report file, a count, or a spec such as count=10000,seed=7");
  if (actualNames.length === 0) problems.push("--actual is required: the output files to check (files or globs)");
  const expectation = values.expected === undefined ? undefined : loadExpectation(String(values.expected), fs, cwd);
  if (expectation?.isErr()) problems.push(expectation.error);
  const actual = expandInputs("actual", actualNames, fs, cwd, problems);
  const dead = expandInputs("deadletter", (values.deadletter as string[] | undefined) ?? [], fs, cwd, problems);
  if (problems.length > 0 || !expectation?.isOk()) return err(usage(problems.join("\n")));

  const started = performance.now();
  const verified = await verifyFiles(fs, expectation.value, { actual, deadletter: dead });
  if (verified.isErr()) {
    const { path, role, message } = verified.error;
    return err(usage(`--${role} ${path}: ${message}`));
  }
  const report = verified.value;
  const inputs = report.files;
  const seconds = (performance.now() - started) / 1000;
  const result = verdict(report, maxDuplicates);
  if (values.json === true) {
    await runtime.stdout.write(`${JSON.stringify({ ok: result.code === 0, verdict: result.line, seconds, linesPerSecond: report.totals.lines / Math.max(seconds, 1e-6), ...report })}\n`);
  } else {
    const speed = `${formatCount(report.totals.lines)} lines in ${seconds.toFixed(2)} s (${formatCount(report.totals.lines / Math.max(seconds, 1e-6))} lines/s)`;
    const head = `logsim verify: expected ${report.expected}; read ${inputs.length} file${inputs.length === 1 ? "" : "s"}, ${speed}`;
    await runtime.stdout.write(`${[head, "", ...formatVerifyReport(report, { shown }), "", result.line].join("\n")}\n`);
  }
  return ok(result.code);
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "Check an output against what generate wrote: lost, duplicated, out-of-order, torn and dead-lettered events per generator",
  details: [
    "Examples:",
    "  logsim generate --count 100000 --seed 7 --output logs/app.log --report expected.json",
    "  logsim collect --once --input 'logs/*.log' --output collected.jsonl",
    "  logsim verify --expected expected.json --actual collected.jsonl --deadletter collected.deadletter.jsonl",
    "  logsim verify --expected 100000 'vector-out/*.json'          (any JSON or text that kept seq and generator)",
    "",
    "Reads logsim's JSONL, JSON with the original line in a string (message, log, line), text with seq=N and",
    "generator=ID, and CSV with a generator,seq header. Exit 0: nothing lost; 1: something lost (or more",
    "duplicates than --max-duplicates); 2: bad arguments or unreadable files. See docs/verify.md.",
  ].join("\n"),
  options,
  run: (args, { runtime }) => runVerify(args, runtime),
};
