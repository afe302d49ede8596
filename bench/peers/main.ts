/**
 * `npm run bench:peers`: logsim against rsyslog, syslog-ng and a hand-written JS ceiling on the
 * issue-14 workload, every tool a whole process configured for the same rules and checked for the
 * same counts. Collect (lines/s, MiB/s, CPU s, peak RSS, ratios to the ceiling measured in the same
 * round; medians of the rounds; logsim also with `--workers 2`), follow latency at a steady rate
 * (bench/peers/latency.ts over bench/follow-latency.ts: p50/p99/max, quiet lines, CPU), then
 * generate-and-write (bench/peers/generate.ts, --lines events). scripts/peers-setup.sh installs
 * the peers first.
 *
 *   npm run bench:peers -- [--lines 1000000] [--rounds 3] [--seed 1] [--workers 2 (0: none)]
 *                          [--latency-seconds 10] [--rate 2000] [--events N (generate; default --lines)]
 *                          [--only collect,latency,generate]
 *                          [--subjects REGEX]   (only the subjects whose name matches, for a quick look)
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchCollect } from "./collect.ts";
import { benchLatency } from "./latency.ts";
import { ensureNodeBuild } from "./logsim.ts";
import { missingTools, ROOT } from "./tools.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    lines: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "3" },
    seed: { type: "string", default: "1" },
    workers: { type: "string", default: "2" },
    "latency-seconds": { type: "string", default: "10" },
    rate: { type: "string", default: "2000" },
    events: { type: "string" },
    only: { type: "string", default: "collect,latency,generate" },
    subjects: { type: "string", default: "" },
  },
});

function positive(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`bench:peers: --${name} ${JSON.stringify(raw)}: expected a number >= ${min}\n`);
    process.exit(2);
  }
  return n;
}

const lines = positive("lines", values.lines!);
const rounds = positive("rounds", values.rounds!);
const seed = positive("seed", values.seed!, 0);
const latencySeconds = positive("latency-seconds", values["latency-seconds"]!);
const rate = positive("rate", values.rate!);
const events = values.events === undefined ? lines : positive("events", values.events);
const parts = new Set(values.only!.split(","));
const only = new RegExp(values.subjects!, "i");
const log = (line: string) => process.stderr.write(`${line}\n`);

const missing = missingTools();
if (missing.length > 0) log(`bench:peers: not installed, left out: ${missing.join(", ")} (run scripts/peers-setup.sh)`);
ensureNodeBuild(log);
const workers = positive("workers", values.workers!, 0);

const version = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).stdout?.trim().split("\n")[0] ?? "?";
const machine = `${cpus().length} x ${cpus()[0]?.model ?? "?"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at start; ` +
  `Bun ${version(join(ROOT, "node_modules/.bin/bun"), ["--version"])}, Node ${version("node", ["--version"])}, ${version(join(ROOT, ".tools/node_modules/.bin/deno"), ["--version"])}`;
console.log(`# bench:peers, ${new Date().toISOString()}\n\n${machine}\n`);

const dir = mkdtempSync(join(tmpdir(), "logsim-peers-"));
chmodSync(dir, 0o755); // The peers run as nobody (when we are root) and reach their folders through it.
try {
  if (parts.has("collect")) {
    const result = await benchCollect({ lines, rounds, seed, workers, only, dir: join(dir, "collect"), log });
    console.log(`## Collect: ${lines.toLocaleString("en-US")} lines (${(result.inputBytes / 1048576).toFixed(1)} MiB), medians of ${rounds} round${rounds > 1 ? "s" : ""}\n`);
    console.log(`Counts every tool must match (the ceiling's): written ${result.expected.written}, unparsed ${result.expected.unparsed}, tags ${Object.entries(result.expected.tags).map(([t, n]) => `${t} ${n}`).join(", ")}.\n`);
    console.log(`${result.table}\n`);
    for (const note of result.notes) console.log(`- ${note}`);
    if (result.notes.length > 0) console.log("");
  }
  if (parts.has("latency")) {
    const result = await benchLatency({ seconds: latencySeconds, rate, rounds, only, log });
    console.log(`## Follow latency: ${rate} lines/s for ${latencySeconds} s, a line's write to its record in the output, medians of ${rounds} round${rounds > 1 ? "s" : ""}\n`);
    console.log("Quiet: single lines written after 1 s of silence (5 per round). CPU: the follower's, over the rate phase.\n");
    console.log(`${result.table}\n`);
    for (const note of result.notes) console.log(`- ${note}`);
    if (result.notes.length > 0) console.log("");
  }
  if (parts.has("generate")) {
    console.log(`## Generate and write: ${events.toLocaleString("en-US")} events into a file rotated by size\n`);
    const generate = join(ROOT, "bench/peers/generate.ts");
    const run = spawnSync(join(ROOT, "node_modules/.bin/bun"), [generate, "--events", String(events), "--rounds", String(rounds)], { stdio: "inherit" });
    if (run.status !== 0) log(`bench:peers: bench/peers/generate.ts exited ${run.status}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
