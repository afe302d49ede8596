/**
 * The collect workload, whole processes side by side: `logsim collect --config logsim.config.ts`
 * and the hand-written ceiling (ceiling.ts) on each runtime, alternating within a round, checking
 * that every run wrote the same counts (lines written, dead-lettered, per tag). Prints lines/s,
 * CPU seconds and peak RSS (from /usr/bin/time) per run, then the medians and each runtime's ratio
 * to its own ceiling in the same round.
 *
 *   bun bench/workload/run.ts [--lines 1000000] [--rounds 3] [--runtimes bun,node,deno] [--flat] [--dir /tmp/logsim-workload]
 *
 * --flat writes the filter without its groups (`level":"ERROR"|level":"WARN"|...`), the same
 * matches: what the run costs once the regex engine is not the limit.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeCorpus } from "./corpus.ts";
import { TAGS, type Counts } from "./rules.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

type RuntimeName = "bun" | "node" | "deno";
/** The command that runs a TypeScript file on a runtime. */
const launch: Record<RuntimeName, (file: string) => string[]> = {
  bun: (file) => ["bun", file],
  node: (file) => ["node", "--conditions=source", "--import", "tsx", file],
  deno: (file) => ["deno", "run", "-A", "--quiet", file],
};
const MAIN: Record<RuntimeName, string> = { bun: "runtime/bun/main.ts", node: "runtime/node/main.ts", deno: "runtime/deno/main.ts" };

/** One whole-process run. */
interface Run {
  subject: string;
  runtime: RuntimeName;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  counts: Omit<Counts, "lines">;
}

/** Runs a command under /usr/bin/time; wall and CPU seconds, peak RSS. */
function timed(argv: string[], env: Record<string, string>): { seconds: number; cpuSeconds: number; peakRssMiB: number } {
  const t = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "TIME %U %S %M", ...argv], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no /usr/bin/time line in: ${r.stderr.slice(-500)}`);
  return { seconds, cpuSeconds: Number(m[1]) + Number(m[2]), peakRssMiB: Number(m[3]) / 1024 };
}

/** Counts from JSONL output: lines, and lines with each tag (a substring test on the tags array). */
function countsOf(output: string, deadletter: string): Omit<Counts, "lines"> {
  const tags: Record<string, number> = Object.fromEntries(TAGS.map((t) => [t.tag, 0]));
  let written = 0;
  for (const line of readFileSync(output, "utf8").split("\n")) {
    if (line === "") continue;
    written++;
    const at = line.lastIndexOf('"tags":[');
    const list = line.slice(at + 8, line.indexOf("]", at));
    for (const t of TAGS) if (list.includes(`"${t.tag}"`)) tags[t.tag]!++;
  }
  const unparsed = readFileSync(deadletter, "utf8").split("\n").filter((l) => l !== "").length;
  return { written, unparsed, tags };
}

function runCeiling(runtime: RuntimeName, input: string, dir: string): Run {
  const output = join(dir, `ceiling-${runtime}.jsonl`);
  const t = timed([...launch[runtime](join(here, "ceiling.ts")), input, output], {});
  const counts = countsOf(output, `${output}.deadletter`);
  rmSync(output, { force: true });
  return { subject: "ceiling", runtime, ...t, counts };
}

function runLogsim(runtime: RuntimeName, input: string, dir: string, flat: boolean): Run {
  const work = join(dir, `logsim-${runtime}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const output = join(work, "out.jsonl");
  const env = { WORKLOAD_INPUT: input, WORKLOAD_OUTPUT: output, WORKLOAD_STATE: join(work, "state"), ...(flat ? { WORKLOAD_FLAT: "1" } : {}) };
  const t = timed([...launch[runtime](MAIN[runtime]), "collect", "--config", join(here, "logsim.config.ts"), "--quiet"], env);
  const counts = countsOf(output, join(work, "out.deadletter.jsonl"));
  rmSync(work, { recursive: true, force: true });
  return { subject: "logsim", runtime, ...t, counts };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function main(): void {
  const { values } = parseArgs({
    options: { lines: { type: "string", default: "1000000" }, rounds: { type: "string", default: "3" }, runtimes: { type: "string", default: "bun,node,deno" }, flat: { type: "boolean", default: false }, dir: { type: "string", default: "/tmp/logsim-workload" } },
  });
  const lines = Number(values.lines);
  const rounds = Number(values.rounds);
  const runtimes = values.runtimes!.split(",") as RuntimeName[];
  const dir = values.dir!;
  mkdirSync(dir, { recursive: true });
  const input = join(dir, `corpus-${lines}.log`);
  if (!existsSync(input) || statSync(input).size === 0) writeCorpus(input, lines, 1);
  const runs: Run[][] = [];
  for (let round = 0; round < rounds; round++) {
    const row: Run[] = [];
    for (const runtime of runtimes) {
      // Alternate which goes first, so neither always gets the warmer page cache or the quieter moment.
      const pair = round % 2 === 0 ? [() => runCeiling(runtime, input, dir), () => runLogsim(runtime, input, dir, values.flat!)] : [() => runLogsim(runtime, input, dir, values.flat!), () => runCeiling(runtime, input, dir)];
      for (const run of pair) {
        const r = run();
        row.push(r);
        console.log(`round ${round + 1} ${r.subject.padEnd(7)} ${r.runtime.padEnd(4)} ${Math.round(lines / r.seconds).toLocaleString("en").padStart(9)} lines/s  ${r.seconds.toFixed(2)} s  cpu ${r.cpuSeconds.toFixed(2)} s  rss ${r.peakRssMiB.toFixed(0)} MiB  ${JSON.stringify(r.counts)}`);
      }
    }
    runs.push(row);
  }
  const reference = JSON.stringify(runs[0]![0]!.counts);
  const mismatched = runs.flat().filter((r) => JSON.stringify(r.counts) !== reference);
  console.log(`\nmedians of ${rounds} rounds, ${lines.toLocaleString("en")} lines${values.flat ? ", flat filter" : ""}:`);
  for (const runtime of runtimes) {
    const of = (subject: string) => runs.map((row) => row.find((r) => r.subject === subject && r.runtime === runtime)!);
    const ratios = runs.map((row) => row.find((r) => r.subject === "ceiling" && r.runtime === runtime)!.seconds / row.find((r) => r.subject === "logsim" && r.runtime === runtime)!.seconds);
    for (const subject of ["ceiling", "logsim"]) {
      const rs = of(subject);
      console.log(`  ${subject.padEnd(7)} ${runtime.padEnd(4)} ${Math.round(lines / median(rs.map((r) => r.seconds))).toLocaleString("en").padStart(9)} lines/s  cpu ${median(rs.map((r) => r.cpuSeconds)).toFixed(2)} s  peak rss ${median(rs.map((r) => r.peakRssMiB)).toFixed(0)} MiB`);
    }
    // CPU seconds too: on a loaded machine the wall clock also counts the time other processes had the cores.
    const cpuRatios = runs.map((row) => row.find((r) => r.subject === "ceiling" && r.runtime === runtime)!.cpuSeconds / row.find((r) => r.subject === "logsim" && r.runtime === runtime)!.cpuSeconds);
    console.log(`  logsim/ceiling on ${runtime}: ${median(ratios).toFixed(2)}x by wall time (per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}), ${median(cpuRatios).toFixed(2)}x by CPU time (${cpuRatios.map((r) => r.toFixed(2)).join(", ")})`);
  }
  if (mismatched.length > 0) {
    console.log(`\nCOUNTS DIFFER from ${reference}:\n${mismatched.map((r) => `  ${r.subject} ${r.runtime}: ${JSON.stringify(r.counts)}`).join("\n")}`);
    process.exitCode = 1;
  } else console.log(`\nevery run wrote the same counts: ${reference}`);
}

main();
