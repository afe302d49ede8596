/**
 * Collect on the issue-14 workload, every tool as a whole process on the same seeded corpus with
 * the same rules: rounds of all subjects back to back (the starting subject rotates per round, so
 * no tool always runs first or last on a machine whose load drifts; each logsim run has its
 * runtime's ceiling run right beside it, the ratio's denominator), each run checked against the
 * counts of the hand-written ceiling (records written, dead-lettered, per tag), then medians of
 * lines/s, MiB/s, CPU s (and lines per CPU second, the figure a loaded machine disturbs least) and
 * peak RSS, and the medians of the per-round ratios to the ceiling (by wall time; by CPU seconds too) on
 * Node and on the subject's own runtime (side by side, so both share the machine's noise).
 */
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ceiling } from "../workload/ceiling.ts";
import { writeCorpus } from "../workload/corpus.ts";
import { TAGS, type Counts } from "../workload/rules.ts";
import { countsOf, diffCounts } from "./counts.ts";
import { measure, type Measured } from "./measure.ts";
import { ceilingSubject, logsimSubject, rsyslogSubject, syslogNgSubject, type CollectSubject } from "./subjects.ts";
import { cell, markdownTable, median } from "./table.ts";
import { ROOT, RSYSLOG, RUNTIMES, SYSLOG_NG, type JsRuntime } from "./tools.ts";

export interface CollectOptions {
  lines: number;
  rounds: number;
  seed: number;
  /** Also run logsim with `--workers N` (0: no). */
  workers: number;
  /** Only the subjects whose name matches. */
  only: RegExp;
  /** Scratch folder (the corpus and one folder per run, removed after counting). */
  dir: string;
  log(line: string): void;
}

interface Run extends Measured {
  round: number;
  counts: Counts;
  /** For a ceiling run: the subject it ran beside, whose ratio it is the denominator of. */
  pairedWith?: string;
}

export interface CollectResult {
  expected: Counts;
  inputBytes: number;
  table: string;
  notes: string[];
}

/**
 * Lets this process's garbage be collected before the next subject starts: counting a run's output
 * parses some 60 MiB of JSON, and the collector threads that freed it then ran on the second core
 * while the next subject started, taking it from subjects that use two cores (`--workers 2`, a
 * runtime's JIT threads) far more than from the single-threaded ceiling beside them.
 */
async function settle(): Promise<void> {
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

export async function benchCollect(o: CollectOptions): Promise<CollectResult> {
  mkdirSync(o.dir, { recursive: true });
  chmodSync(o.dir, 0o755); // The peers run as nobody and read the corpus from here.
  const input = join(o.dir, "corpus.log");
  writeCorpus(input, o.lines, o.seed);
  const inputBytes = statSync(input).size;
  // The reference counts, and a warm page cache for the first subject.
  const expected = ceiling(input, join(o.dir, "reference.jsonl"));
  rmSync(join(o.dir, "reference.jsonl"));
  rmSync(join(o.dir, "reference.jsonl.deadletter"));
  o.log(`collect: ${o.lines.toLocaleString("en-US")} lines (${(inputBytes / 1048576).toFixed(1)} MiB), seed ${o.seed}; the ceiling's counts: ${JSON.stringify({ written: expected.written, unparsed: expected.unparsed, tags: expected.tags })}`);

  const ceilingMain = join(ROOT, "bench/peers/ceiling-main.ts");
  const nodeBundle = join(o.dir, "ceiling-main.mjs");
  await build({ entryPoints: [ceilingMain], outfile: nodeBundle, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning" });

  const subjects: CollectSubject[] = [
    ...RUNTIMES.map((r) => ceilingSubject(r, nodeBundle, ceilingMain)),
    ...RUNTIMES.map((r) => logsimSubject(r)),
    ...(o.workers > 0 ? RUNTIMES.map((r) => logsimSubject(r, o.workers)) : []),
    ...(existsSync(RSYSLOG.binary) ? [rsyslogSubject("regex"), rsyslogSubject("tuned")] : []),
    ...(existsSync(SYSLOG_NG.binary) ? [syslogNgSubject] : []),
  ].filter((s) => s.role === "ceiling" || o.only.test(s.name));
  const runs = new Map<string, Run[]>(subjects.map((s) => [s.name, []]));
  const deadline = 60_000 + o.lines * 0.2; // 260 s for 1M lines: far beyond any tool here.
  const runOne = async (subject: CollectSubject, round: number, pairedWith?: string) => {
    const dir = join(o.dir, `round${round}-${subject.name.replace(/[^a-z0-9]+/gi, "-")}`);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const run = { dir, input, output: join(dir, "out.jsonl"), deadletter: join(dir, subject.deadletterName) };
    const measured = await measure(subject.make(run, expected), join(dir, "time.txt"), deadline);
    const counts = countsOf(o.lines, run.output, run.deadletter, TAGS.map((t) => t.tag));
    rmSync(dir, { recursive: true, force: true });
    await settle();
    runs.get(subject.name)!.push({ ...measured, round, counts, pairedWith });
    const problem = [measured.failure, measured.note, diffCounts(counts, expected)].filter(Boolean).join("; ");
    o.log(`  round ${round + 1}/${o.rounds} ${subject.name}${pairedWith ? ` (for ${pairedWith})` : ""}: ${(measured.wallMs / 1000).toFixed(2)} s, ${measured.cpuS.toFixed(2)} CPU s, ${measured.peakRssMiB.toFixed(0)} MiB${problem ? ` (${problem})` : ""}`);
  };
  const ceilings = subjects.filter((s) => s.role === "ceiling");
  const others = subjects.filter((s) => s.role !== "ceiling");
  const ceilingFor = (runtime: JsRuntime | undefined) => ceilings.find((c) => c.runtime === runtime);
  for (let round = 0; round < o.rounds; round++) {
    // Each logsim run has its runtime's ceiling run right beside it, before it in even rounds and
    // after it in odd ones: the machine's speed drifts in phases of tens of seconds here, so a ratio
    // to a ceiling run minutes away in the same round measured the drift as much as the subject.
    const order = others.map((_, i) => others[(i + round) % others.length]!);
    const paired = new Set<JsRuntime>();
    for (const subject of order) {
      const ceiling = subject.role === "logsim" ? ceilingFor(subject.runtime) : undefined;
      if (!ceiling) {
        await runOne(subject, round);
        continue;
      }
      paired.add(subject.runtime!);
      if (round % 2 === 0) await runOne(ceiling, round, subject.name);
      await runOne(subject, round);
      if (round % 2 === 1) await runOne(ceiling, round, subject.name);
    }
    // A runtime no logsim subject ran on this round (--only) still gets its ceiling measured.
    for (const ceiling of ceilings) if (!paired.has(ceiling.runtime!)) await runOne(ceiling, round);
  }
  return { expected, inputBytes, ...report(subjects, runs, expected, o.lines, inputBytes) };
}

function report(subjects: CollectSubject[], runs: Map<string, Run[]>, expected: Counts, lines: number, bytes: number): { table: string; notes: string[] } {
  // The ceiling a run is compared with: the one that ran beside it, else the median of its runtime's
  // ceiling runs that round (a subject on another runtime, a native peer).
  const ceilingOf = (runtime: string | undefined, round: number, subject: string): { wallMs: number; cpuS: number; failure?: string } | undefined => {
    if (runtime === undefined) return undefined;
    const all = runs.get(subjects.find((s) => s.role === "ceiling" && s.runtime === runtime)!.name)!.filter((r) => r.round === round && !r.failure);
    const beside = all.find((r) => r.pairedWith === subject);
    if (beside) return beside;
    return all.length === 0 ? { wallMs: Number.NaN, cpuS: Number.NaN, failure: "no ceiling run" } : { wallMs: median(all.map((r) => r.wallMs)), cpuS: median(all.map((r) => r.cpuS)) };
  };
  const notes: string[] = [];
  const rows = subjects.map((s) => {
    const mine = runs.get(s.name)!;
    const ratio = (runtime: string | undefined, of: (r: { wallMs: number; cpuS: number }) => number = (r) => r.wallMs) =>
      median(mine.map((r) => {
        const c = s.role === "ceiling" && s.runtime === runtime ? r : ceilingOf(runtime, r.round, s.name);
        return c && !c.failure && !r.failure ? of(c) / of(r) : Number.NaN;
      }));
    const diffs = [...new Set(mine.map((r) => [r.failure, r.note, diffCounts(r.counts, expected)].filter(Boolean).join("; ")).filter(Boolean))];
    if (diffs.length > 0) notes.push(`${s.name}: ${diffs.join(" | ")}`);
    // A failed run (exit, deadline) has no figures; one whose counts differ keeps them, flagged.
    const ok = mine.filter((r) => !r.failure);
    const wall = median(ok.map((r) => r.wallMs)) / 1000;
    return [
      s.name,
      cell(lines / wall),
      cell(bytes / 1048576 / wall, 1),
      cell(median(ok.map((r) => r.cpuS)), 2),
      cell(lines / median(ok.map((r) => r.cpuS))),
      cell(median(ok.map((r) => r.peakRssMiB))),
      cell(ratio("node"), 2),
      s.runtime ? cell(ratio(s.runtime), 2) : "—",
      s.runtime ? cell(ratio(s.runtime, (r) => r.cpuS), 2) : "—",
      diffs.length === 0 ? "same" : ok.length === 0 ? "failed (below)" : "differ (below)",
    ];
  });
  const table = markdownTable(["subject (whole process)", "lines/s", "MiB/s", "CPU s", "lines per CPU s", "peak RSS MiB", "x ceiling (node)", "x ceiling (own runtime)", "x own ceiling by CPU s", "counts"], rows);
  return { table, notes };
}
