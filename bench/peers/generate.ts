/**
 * Generate-and-write against peers, whole processes: each subject writes N events into a file
 * rotated by size (the same max size and backups for all), and is measured from spawn to exit.
 *
 * Subjects: `logsim generate --format json` on Bun, Node (the esbuild bundle an installed
 * package runs) and Deno; the hand-written loop (the ceiling: the same events from logsim's
 * generator, JSON.stringify, batched writes, rotation by size) on each runtime; and on Node,
 * pino + pino-roll, winston's File transport, rotating-file-stream with a hand-written JSON line
 * (see generate-subjects.ts). Per subject: events/s, MiB/s, CPU seconds and peak RSS (from
 * /usr/bin/time), and the ratio to the loop on its own runtime and to the Node loop, each taken
 * within one round; medians over the rounds. Subjects are interleaved: every round runs each
 * once, starting one further along the list. Every subject must write exactly N lines across its
 * files; a subject that does not is marked in the table.
 *
 *   bun bench/peers/generate.ts [--events N] [--rounds R] [--runtimes bun,node,deno] [--subjects logsim,loop,pino,winston,rfs] [--json FILE]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { summarise, type Run, type Summary } from "./generate-stats.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const START_TIME = "2026-11-23T10:00:00Z";
const SEED = 1;
const RUNTIMES = ["bun", "node", "deno"] as const;
type RuntimeName = (typeof RUNTIMES)[number];
const PEERS = ["pino", "winston", "rfs"] as const;

interface Subject {
  name: string;
  kind: "logsim" | "loop" | (typeof PEERS)[number];
  runtime: RuntimeName;
  command: (out: string) => string[];
}

interface Options {
  events: number;
  rounds: number;
  maxBytes: number;
  backups: number;
  runtimes: RuntimeName[];
  kinds: string[];
  json?: string;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { events: { type: "string" }, rounds: { type: "string" }, "max-bytes": { type: "string" }, backups: { type: "string" }, runtimes: { type: "string" }, subjects: { type: "string" }, json: { type: "string" } } });
  const runtimes = (values.runtimes ?? RUNTIMES.join(",")).split(",") as RuntimeName[];
  const unknown = runtimes.filter((r) => !RUNTIMES.includes(r));
  if (unknown.length) throw new Error(`--runtimes: unknown ${unknown.join(", ")} (expected some of ${RUNTIMES.join(", ")})`);
  return {
    events: Number(values.events ?? 1_000_000),
    rounds: Number(values.rounds ?? 3),
    maxBytes: Number(values["max-bytes"] ?? 32 * 1024 * 1024),
    backups: Number(values.backups ?? 100),
    runtimes,
    kinds: (values.subjects ?? ["logsim", "loop", ...PEERS].join(",")).split(","),
    json: values.json,
  };
}

/** Node runs what an installed package runs: an esbuild bundle (Node 20 cannot strip types), beside a node_modules link so packages resolve. */
async function bundleForNode(): Promise<string> {
  const { build } = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "logsim-peers-generate-build-"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  await build({
    entryPoints: { main: join(ROOT, "runtime/node/main.ts"), subjects: join(ROOT, "bench/peers/generate-subjects.ts") },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return dir;
}

function subjects(o: Options, nodeBuild: string): Subject[] {
  const common = ["--max-bytes", String(o.maxBytes), "--backups", String(o.backups), "--seed", String(SEED), "--start-time", START_TIME];
  const logsimArgs = (out: string) => ["generate", "--format", "json", "-o", out, ...common, "--count", String(o.events), "-q"];
  const subjectArgs = (kind: string, out: string) => [kind, "--out", out, ...common, "--events", String(o.events)];
  const logsim: Record<RuntimeName, string[]> = {
    bun: ["bun", join(ROOT, "runtime/bun/main.ts")],
    node: ["node", join(nodeBuild, "main.js")],
    deno: ["deno", "run", "-A", join(ROOT, "runtime/deno/main.ts")],
  };
  const script: Record<RuntimeName, string[]> = {
    bun: ["bun", join(ROOT, "bench/peers/generate-subjects.ts")],
    node: ["node", join(nodeBuild, "subjects.js")],
    deno: ["deno", "run", "-A", join(ROOT, "bench/peers/generate-subjects.ts")],
  };
  const list: Subject[] = [];
  for (const runtime of o.runtimes) {
    if (o.kinds.includes("logsim")) list.push({ name: `logsim generate (${runtime})`, kind: "logsim", runtime, command: (out) => [...logsim[runtime], ...logsimArgs(out)] });
    // The loop always runs: it is the reference of every ratio.
    list.push({ name: `hand-written loop (${runtime})`, kind: "loop", runtime, command: (out) => [...script[runtime], ...subjectArgs("loop", out)] });
  }
  // The ratios need the Node loop: it runs even when Node is not among --runtimes.
  if (!o.runtimes.includes("node")) list.push({ name: "hand-written loop (node)", kind: "loop", runtime: "node", command: (out) => [...script.node, ...subjectArgs("loop", out)] });
  const labels = { pino: "pino + pino-roll", winston: "winston File transport", rfs: "rotating-file-stream + JSON.stringify" };
  for (const peer of PEERS) if (o.kinds.includes(peer)) list.push({ name: `${labels[peer]} (node)`, kind: peer, runtime: "node", command: (out) => [...script.node, ...subjectArgs(peer, out)] });
  return list;
}

/** Lines (newline bytes), bytes and files written into `dir` (files starting with a dot, such as rotating-file-stream's history, are not output). */
function outputOf(dir: string): { lines: number; bytes: number; files: number } {
  let lines = 0;
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const data = readFileSync(join(dir, name));
    files++;
    bytes += data.length;
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
  }
  return { lines, bytes, files };
}

const TIME = "/usr/bin/time";

/** Runs one subject as a whole process under /usr/bin/time (CPU and peak RSS), timing it from spawn to exit. */
async function runOnce(subject: Subject, work: string): Promise<Run> {
  const dir = join(work, subject.name.replace(/\W+/g, "-"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const timeFile = join(work, "time.txt");
  const command = subject.command(join(dir, "out.log"));
  const timed = existsSync(TIME);
  const argv = timed ? [TIME, "-f", "%U %S %M", "-o", timeFile, ...command] : command;
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => void (err.length < 4000 && (err += chunk.toString())));
    child.on("close", (c) => done({ code: c, stderr: err }));
  });
  const seconds = (performance.now() - started) / 1000;
  const written = outputOf(dir);
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`${subject.name} exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const [user, sys, rssKiB] = timed ? readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number) : [NaN, NaN, NaN];
  return { seconds, cpuSeconds: user! + sys!, rssMiB: rssKiB! / 1024, ...written };
}

async function versions(): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  const v = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trim().split("\n")[0];
    } catch {
      return "missing";
    }
  };
  return `bun ${v("bun", ["--version"])}, node ${v("node", ["--version"])}, ${v("deno", ["--version"])}`;
}

function table(rows: Summary[], o: Options): string {
  const lines = [
    `| subject (whole process) | events/s | MiB/s | CPU s | peak RSS MiB | x loop, same runtime | x Node loop | x loop by CPU s | lines ok |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |`,
  ];
  const n = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a");
  for (const r of rows) {
    const ok = r.linesOk ? "yes" : Number.isNaN(r.eventsPerSecond) ? "**failed**" : `**no: ${r.badLines.join(", ")}**`;
    lines.push(`| ${r.name} | ${n(r.eventsPerSecond)} | ${n(r.mibPerSecond, 1)} | ${n(r.cpuSeconds, 2)} | ${n(r.rssMiB)} | ${n(r.xOwnLoop, 2)} | ${n(r.xNodeLoop, 2)} | ${n(r.xOwnLoopCpu, 2)} | ${ok} |`);
  }
  lines.push("", `${o.events.toLocaleString("en-US")} events per run, files rotated at ${o.maxBytes.toLocaleString("en-US")} bytes with ${o.backups} backups; medians of ${o.rounds} rounds (ratios taken within each round).`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
  const o = options(g.Deno ? g.Deno.args : g.process!.argv.slice(2));
  const nodeBuild = await bundleForNode(); // Always: the Node loop is every table's reference.
  const work = mkdtempSync(join(tmpdir(), "logsim-peers-generate-"));
  const list = subjects(o, nodeBuild);
  const runs = new Map<string, Run[]>(list.map((s) => [s.name, []]));
  const failures = new Map<string, string>();
  const load = [loadavg()[0]!];
  console.error(`${await versions()}; ${cpus().length} cores; load ${load[0]!.toFixed(1)}`);
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (let i = 0; i < list.length; i++) {
        const subject = list[(i + round) % list.length]!;
        try {
          const run = await runOnce(subject, work);
          runs.get(subject.name)!.push(run);
          console.error(`round ${round + 1}/${o.rounds} ${subject.name}: ${Math.round(o.events / run.seconds).toLocaleString("en-US")} events/s, ${run.lines} lines in ${run.files} files`);
        } catch (error) {
          // One subject that cannot run (a peer not installed) is reported, and the others still measured.
          failures.set(subject.name, (error as Error).message);
          console.error(`round ${round + 1}/${o.rounds} ${(error as Error).message}`);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(nodeBuild, { recursive: true, force: true });
  }
  load.push(loadavg()[0]!);
  const rows = summarise(list, runs, o.events);
  console.log(table(rows, o));
  for (const [name, message] of failures) console.log(`Failed: ${message.startsWith(name) ? message : `${name}: ${message}`}`);
  console.log(`Load average (1 min) ${load.map((l) => l.toFixed(1)).join(" at the start, ")} at the end; ${cpus().length} cores.`);
  if (o.json) writeFileSync(o.json, JSON.stringify({ events: o.events, rounds: o.rounds, maxBytes: o.maxBytes, backups: o.backups, load, rows, failures: Object.fromEntries(failures) }, null, 2));
  if (failures.size > 0) process.exitCode = 1;
}

await main();
