/**
 * `verify --expected`: a generate report file, a count (`10000`: every generator
 * id found wrote seqs 1..10000), or a spec of the run (`count=10000,seed=7,id=gen`,
 * with the fault flags of generate, e.g. `fault-truncated=0.01`), from which the
 * faulted seqs are worked out again by the generator's own fault roller.
 */
import { err, ok, type Result } from "neverthrow";
import { resolve } from "node:path";
import type { FileSystem } from "../../core/runtime.ts";
import type { Expectation, FaultedSeqs } from "../../core/verify/expectation.ts";
import { expectationOf, generateReportSchema } from "../../core/verify/generate-report.ts";
import { FaultInjector } from "../../plugins/generator/faults.ts";
import { faultsSchema } from "../../plugins/generator/schema.ts";

const SPEC_KEYS: Record<string, string> = { count: "count", seed: "seed", id: "id", "fault-truncated": "truncated", "fault-bad-utf8": "badUtf8", "fault-overlong": "overlong", "fault-no-newline": "noNewline" };

/** The expectation from what `--expected` says, or one line saying what is wrong with it. */
export function loadExpectation(text: string, fs: FileSystem, cwd: string): Result<Expectation, string> {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) return err(`--expected: expected a count of at least 1, got ${text}`);
    return ok({ generators: [], anyId: { first: 1, last: n }, source: `${n} per generator` });
  }
  if (/^[\w-]+=/.test(text) && !fs.stat(resolve(cwd, text))) return fromSpec(text);
  return fromReport(text, fs, cwd);
}

function fromReport(path: string, fs: FileSystem, cwd: string): Result<Expectation, string> {
  const full = resolve(cwd, path);
  const stat = fs.stat(full);
  if (!stat) return err(`--expected ${path}: no such file (give a generate --report file, a count such as 10000, or a spec such as count=10000,seed=7)`);
  if (!stat.isFile) return err(`--expected ${path}: not a file`);
  const text = fs.readText(full);
  if (text === undefined) return err(`--expected ${path}: cannot read it`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return err(`--expected ${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = generateReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    const old = typeof json === "object" && json !== null && "emitted" in json && !("kind" in json) ? " (a report from an older logsim: generate it again)" : "";
    return err(`--expected ${path}: not a logsim generate report${old}: ${issue.message}${where}`);
  }
  return ok(expectationOf(parsed.data, path));
}

function fromSpec(spec: string): Result<Expectation, string> {
  const values: Record<string, string> = {};
  for (const part of spec.split(",")) {
    const [key, value] = part.split("=", 2).map((s) => s.trim());
    if (!key || value === undefined || value === "") return err(`--expected: expected key=value pairs separated by commas, got "${part}"`);
    if (!(key in SPEC_KEYS)) return err(`--expected: unknown key "${key}" (known: ${Object.keys(SPEC_KEYS).join(", ")})`);
    values[key] = value;
  }
  const count = Number(values.count);
  if (values.count === undefined) return err("--expected: a spec needs count=N");
  if (!Number.isSafeInteger(count) || count < 1) return err(`--expected: count: expected a whole number of at least 1, got "${values.count}"`);
  const id = values.id ?? "gen";
  const fractions: Record<string, number> = {};
  for (const [key, name] of Object.entries(SPEC_KEYS)) {
    if (!key.startsWith("fault-") || values[key] === undefined) continue;
    fractions[name] = Number(values[key]);
  }
  const generator = { id, first: 1, last: count };
  if (Object.keys(fractions).length === 0) return ok({ generators: [generator], source: spec });
  if (values.seed === undefined) return err("--expected: faults are worked out from the seed: give seed=SEED too");
  const options = faultsSchema.safeParse(fractions);
  if (!options.success) return err(`--expected: ${options.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; ")}`);
  // The seed as a string: the generator hashes `${seed}`, so 7 and "7" roll the same.
  const faults = replayFaults(options.data, values.seed, count);
  if (faults.isErr()) return err(faults.error);
  return ok({ generators: [{ ...generator, faults: faults.value }], source: spec });
}

/** The faults a seeded run of `count` events injected: the generator's roller, rolled once per event as it does. */
function replayFaults(options: ConstructorParameters<typeof FaultInjector>[0], seed: string, count: number): Result<FaultedSeqs, string> {
  try {
    const injector = new FaultInjector(options, seed);
    for (let seq = 1; seq <= count; seq++) injector.apply({ time: 0, level: "INFO", message: "", fields: { seq } });
    return ok(injector.seqs);
  } catch (error) {
    return err(`--expected: ${error instanceof Error ? error.message : String(error)}`);
  }
}
