/**
 * Follow latency, whole process: how long a line appended to a followed file takes to appear in
 * the tool's output file. The tool under test is a command line with `{input}`, `{output}` and
 * `{dir}` placeholders, or a function of those paths that may write the tool's config there first
 * (bench/peers/latency.ts runs its followers, rsyslog and syslog-ng through `measureFollowLatency`).
 *
 * One synchronous loop writes and reads, on one clock (performance.timeOrigin + now(), which a
 * traced tool can compare its own stamps with):
 * - the writer appends probe lines `... probe r17 t=1234.567 ...` to the input at `rate` lines/s,
 *   paced on elapsed time (lines due = rate x elapsed, so a late wake-up writes what is due and the
 *   rate never drifts), each line stamped just before its write;
 * - the reader polls the output every `pollMs` (0.2 ms: Atomics.wait sleeps to ~0.05 ms where
 *   setTimeout rounds to 1 ms; an fs.watch hint could only add the event loop's delay to this) and
 *   takes latency = time seen - time stamped, to the microsecond.
 * Phases: warm-up (until the first line comes out, then `warmupSeconds` at the rate), the rate phase
 * (p50/p99/max, the tool's CPU from /proc), a quiet phase (single lines after `quietGapMs` of
 * silence), then a drain that checks every line came out exactly once.
 * The driver's own share is measured by following with a hand-written Node follower
 * (bench/follow-latency-baseline.mjs), which does the least any follower must.
 *
 *   node --conditions=source --import tsx bench/follow-latency.ts [--tool logsim-bun ...]
 *     [--rate 2000] [--seconds 5] [--rounds 3] [--quiet-lines 5] [--quiet-gap-ms 1000] [--json]
 *     [--cmd 'NAME=my-tool --in {input} --out {output}'] [--dump FILE (kind seq sent seen per line)]
 *   npm run bench:latency -- --tool logsim-bun --tool logsim-deno
 * Tools by name: baseline-node, baseline-bun, logsim-bun, logsim-node, logsim-deno (see TOOLS).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface FollowOptions {
  /** Shell command line of the tool (`{input}`, `{output}`, `{dir}` are replaced), or one made from those paths. */
  command: string | ((paths: FollowPaths) => string);
  /** Working folder of the tool (default: this repository). */
  cwd?: string;
  /** Lines per second in the rate phase. */
  rate?: number;
  /** Length of the rate phase. */
  seconds?: number;
  /** Time at the rate before measuring (after the first line came out). */
  warmupSeconds?: number;
  /** Single lines written after a silence, and the silence before each. */
  quietLines?: number;
  quietGapMs?: number;
  /** Reader poll period. */
  pollMs?: number;
  /** Longest wait for the tool's first output line, and for the last lines at the end. */
  readyTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** Writes every measured line as `kind seq sent seen` (ms on the shared clock) to this file, to compare with a traced tool's stamps. */
  dump?: string;
  /** A probe line from its fields; the default is a JSON line. The text must contain `probe`. */
  line?: (probe: string) => string;
}

/** The private folder of one measurement, the file the tool follows and the file it writes. */
export interface FollowPaths {
  dir: string;
  input: string;
  output: string;
}

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface FollowResult {
  command: string;
  rate: number;
  /** Latencies in the rate phase and in the quiet phase (ms). */
  load: Latencies;
  quiet: Latencies;
  /** Lines written that never came out, and lines that came out more than once. */
  missing: number;
  duplicated: number;
  /** The tool's CPU time over the rate phase, as seconds and as % of one core; its peak RSS (MiB). */
  cpuSeconds: number;
  cpuPercent: number;
  peakRssMiB: number;
  /** This driver's own CPU over the rate phase (% of one core). */
  driverCpuPercent: number;
}

const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
/** Milliseconds on a clock other processes share (wall time at start + monotonic), to the microsecond. */
const clock = () => performance.timeOrigin + performance.now();
const PROBE = /probe ([wurq])(\d+) t=(\d+\.\d+)/;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps the thread (not the event loop: nothing else runs meanwhile) for `ms`, to ~0.05 ms. */
const sleep = (ms: number) => {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
};

const defaultLine = (probe: string) =>
  `{"time":"${new Date().toISOString()}","level":"INFO","service":"api","message":"GET /api/orders ${probe} end","user":"u-1"}`;

export function percentiles(values: number[]): Latencies {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.length === 0 ? NaN : s[s.length - 1]! };
}

/** Follows the output file from its start; `poll()` returns the probes of the lines completed since. */
class OutputReader {
  #fd: number | undefined;
  #position = 0;
  #rest = "";
  readonly #buffer = new Uint8Array(1 << 20);
  readonly #decoder = new TextDecoder();
  constructor(readonly path: string) {}

  poll(onProbe: (kind: string, seq: number, sent: number, seen: number) => void): void {
    if (this.#fd === undefined) {
      if (!existsSync(this.path)) return;
      this.#fd = openSync(this.path, "r");
    }
    for (;;) {
      const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#position);
      if (n <= 0) return;
      const seen = clock();
      this.#position += n;
      const text = this.#rest + this.#decoder.decode(this.#buffer.subarray(0, n), { stream: true });
      const end = text.lastIndexOf("\n");
      this.#rest = text.slice(end + 1);
      if (end < 0) continue;
      for (const line of text.slice(0, end).split("\n")) {
        const m = PROBE.exec(line);
        if (m) onProbe(m[1]!, Number(m[2]), Number(m[3]), seen);
      }
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
  }
}

/** The process and its descendants: CPU seconds (utime + stime) and the largest peak RSS (MiB). */
function processTree(pid: number): { cpu: number; rssMiB: number } {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  let cpu = 0;
  let rssMiB = 0;
  for (const p of tree) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      cpu += (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (hwm) rssMiB = Math.max(rssMiB, Number(hwm[1]) / 1024);
    } catch {
      // Gone meanwhile.
    }
  }
  return { cpu, rssMiB };
}

async function stopTool(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  kill("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((done) => (timer = setTimeout(() => done(true), 5000)));
  if (await Promise.race([exited.then(() => false), late])) {
    kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}

/** Starts the tool, runs the phases, stops the tool. Throws when the tool never writes a line. */
export async function measureFollowLatency(options: FollowOptions): Promise<FollowResult> {
  const o = { rate: 2000, seconds: 5, warmupSeconds: 1, quietLines: 5, quietGapMs: 1000, pollMs: 0.2, readyTimeoutMs: 30_000, drainTimeoutMs: 10_000, line: defaultLine, ...options };
  const dir = mkdtempSync(join(tmpdir(), "logsim-follow-latency-"));
  const input = join(dir, "input.log");
  const output = join(dir, "out", "output.jsonl");
  closeSync(openSync(input, "w"));
  // A peer may run as an unprivileged user (bench/peers/tools.ts): it reads the input, writes beside it.
  mkdirSync(dirname(output));
  for (const d of [dir, dirname(output)]) chmodSync(d, 0o777);
  chmodSync(input, 0o644);
  const command = typeof o.command === "function"
    ? o.command({ dir, input, output })
    : o.command.replaceAll("{input}", input).replaceAll("{output}", output).replaceAll("{dir}", dir);
  const log = openSync(join(dir, "tool.log"), "w");
  const child = spawn("sh", ["-c", `exec ${command}`], { cwd: o.cwd ?? ROOT, stdio: ["ignore", log, log], detached: true });
  const writer = openSync(input, "a");
  const reader = new OutputReader(output);
  const sent = new Map<string, number>();
  const seen = new Map<string, number>();
  const latencies: Record<string, number[]> = { w: [], u: [], r: [], q: [] };
  const dumped: string[] = [];
  const onProbe = (kind: string, seq: number, at: number, now: number) => {
    const key = `${kind}${seq}`;
    if (o.dump) dumped.push(`${kind} ${seq} ${at.toFixed(3)} ${now.toFixed(3)}`);
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    if (times === 1) latencies[kind]!.push(now - at);
  };
  const write = (kind: string, seq: number) => {
    const key = `${kind}${seq}`;
    const t = clock();
    // Lines written while the tool starts may be before the position it follows from: not counted.
    if (kind !== "w") sent.set(key, t);
    writeSync(writer, `${o.line(`probe ${key} t=${t.toFixed(3)}`)}\n`);
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  const fail = (why: string) => new Error(`${why} (${command}); its output: ${readFileSync(join(dir, "tool.log"), "utf8").slice(-2000)}`);
  /** Writes `kind` lines at the rate for `ms`, reading meanwhile. */
  const paced = (kind: string, ms: number) => {
    const start = performance.now();
    const total = Math.round((o.rate * ms) / 1000);
    for (let n = 0; n < total; ) {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) * o.rate) / 1000) + 1);
      while (n < due) write(kind, n++);
      reader.poll(onProbe);
      const next = start + (n * 1000) / o.rate;
      sleep(Math.min(o.pollMs, next - performance.now()));
    }
  };
  /** Reads until `done()` or `ms` passed; lets the event loop run every 100 ms (child exit). */
  const readUntil = async (done: () => boolean, ms: number) => {
    const end = performance.now() + ms;
    let turn = performance.now();
    while (!done() && performance.now() < end) {
      reader.poll(onProbe);
      sleep(o.pollMs);
      if (performance.now() - turn > 100) {
        await new Promise((r) => setTimeout(r, 0));
        turn = performance.now();
        if (!alive()) throw fail("The tool exited");
      }
    }
  };
  try {
    // Ready: a line every 50 ms until one comes out (the tool may still be starting or scanning).
    let w = 0;
    const readyBy = performance.now() + o.readyTimeoutMs;
    while (seen.size === 0) {
      if (performance.now() > readyBy) throw fail("No line came out");
      write("w", w++);
      await readUntil(() => seen.size > 0, 50);
    }
    paced("u", o.warmupSeconds * 1000);
    const before = processTree(child.pid!);
    const driverBefore = process.cpuUsage();
    const t0 = performance.now();
    paced("r", o.seconds * 1000);
    const wall = (performance.now() - t0) / 1000;
    const after = processTree(child.pid!);
    const driver = process.cpuUsage(driverBefore);
    if (!alive()) throw fail("The tool exited");
    for (let q = 0; q < o.quietLines; q++) {
      await readUntil(() => false, o.quietGapMs);
      write("q", q);
      await readUntil(() => seen.has(`q${q}`), o.quietGapMs);
    }
    await readUntil(() => [...sent.keys()].every((k) => seen.has(k)), o.drainTimeoutMs);
    const peak = processTree(child.pid!);
    if (o.dump) writeFileSync(o.dump, `${dumped.join("\n")}\n`);
    let missing = 0;
    let duplicated = 0;
    for (const key of sent.keys()) {
      const n = seen.get(key) ?? 0;
      if (n === 0) missing++;
      if (n > 1) duplicated++;
    }
    return {
      command,
      rate: o.rate,
      load: percentiles(latencies.r!),
      quiet: percentiles(latencies.q!),
      missing,
      duplicated,
      cpuSeconds: after.cpu - before.cpu,
      cpuPercent: (100 * (after.cpu - before.cpu)) / wall,
      peakRssMiB: peak.rssMiB,
      driverCpuPercent: (100 * (driver.user + driver.system)) / 1e6 / wall,
    };
  } finally {
    reader.close();
    closeSync(writer);
    await stopTool(child);
    closeSync(log);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `logsim collect` as a user runs it on this workload's JSON lines: the json parser, the three tags. */
const COLLECT = "collect -i {input} -o {output} --parser json --tag 'auth=login|logout|session' --tag 'payment=charge|refund' --tag 'api=GET |POST |/api/' --state-dir {dir}/state -q";

/** The tools this script knows by name. */
export const TOOLS: Record<string, string> = {
  "baseline-node": "node bench/follow-latency-baseline.mjs {input} {output}",
  "baseline-bun": "bun bench/follow-latency-baseline.mjs {input} {output}",
  "logsim-bun": `bun runtime/bun/main.ts ${COLLECT}`,
  "logsim-node": `node --conditions=source --import tsx runtime/node/main.ts ${COLLECT}`,
  "logsim-deno": `deno run -A runtime/deno/main.ts ${COLLECT}`,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function cli(argv: string[]): Promise<void> {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, "");
    if (name === "json") flags.set(name, ["true"]);
    else flags.set(name, [...(flags.get(name) ?? []), argv[++i] ?? ""]);
  }
  const num = (name: string, fallback: number) => Number(flags.get(name)?.[0] ?? fallback);
  // `--cmd 'NAME=command line'` names a command in the table (a bare command line names itself).
  const commands = new Map<string, string>(Object.entries(TOOLS));
  const named = (flags.get("cmd") ?? []).map((c) => {
    const m = /^([\w.-]+)=(.*)$/s.exec(c);
    if (m) commands.set(m[1]!, m[2]!);
    return m ? m[1]! : c;
  });
  const tools = [...(flags.get("tool") ?? []), ...named];
  if (tools.length === 0) tools.push("baseline-node", "logsim-bun", "logsim-node");
  for (const t of tools) if (!commands.has(t) && !t.includes(" ")) throw new Error(`--tool: expected one of ${Object.keys(TOOLS).join(", ")} or --cmd 'a command line', got "${t}"`);
  const rounds = num("rounds", 3);
  const options = { ...(flags.has("dump") ? { dump: flags.get("dump")![0]! } : {}), rate: num("rate", 2000), seconds: num("seconds", 5), quietLines: num("quiet-lines", 5), quietGapMs: num("quiet-gap-ms", 1000), pollMs: num("poll-ms", 0.2) };
  const results = new Map<string, FollowResult[]>(tools.map((t) => [t, []]));
  // Rounds alternate the tools, so each shares the machine's noise with the others.
  for (let r = 0; r < rounds; r++) {
    for (const tool of tools) {
      const result = await measureFollowLatency({ ...options, command: commands.get(tool) ?? tool });
      results.get(tool)!.push(result);
      if (!flags.has("json")) console.error(`round ${r + 1} ${tool}: ${row(result)}`);
    }
  }
  if (flags.has("json")) {
    console.log(JSON.stringify(Object.fromEntries(results), null, 2));
    return;
  }
  console.log(`\nFollow latency at ${options.rate} lines/s for ${options.seconds} s, ${options.quietLines} quiet lines after ${options.quietGapMs} ms of silence; medians of ${rounds} rounds (ms)`);
  console.log("| tool | p50 | p99 | max | quiet p50 | quiet max | CPU % | driver CPU % | peak RSS MiB | missing | duplicated |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [tool, rs] of results) {
    const m = (f: (r: FollowResult) => number, digits = 2) => median(rs.map(f)).toFixed(digits);
    console.log(`| ${tool} | ${m((r) => r.load.p50)} | ${m((r) => r.load.p99)} | ${m((r) => r.load.max)} | ${m((r) => r.quiet.p50)} | ${m((r) => r.quiet.max)} | ${m((r) => r.cpuPercent, 1)} | ${m((r) => r.driverCpuPercent, 1)} | ${m((r) => r.peakRssMiB, 0)} | ${rs.reduce((a, r) => a + r.missing, 0)} | ${rs.reduce((a, r) => a + r.duplicated, 0)} |`);
  }
}

const row = (r: FollowResult) =>
  `p50 ${r.load.p50.toFixed(2)} p99 ${r.load.p99.toFixed(2)} max ${r.load.max.toFixed(2)} ms (${r.load.count} lines); quiet p50 ${r.quiet.p50.toFixed(2)} max ${r.quiet.max.toFixed(2)} ms; CPU ${r.cpuPercent.toFixed(1)}%; missing ${r.missing}, duplicated ${r.duplicated}`;

if (import.meta.url === `file://${process.argv[1]}` || import.meta.url === new URL(`file://${resolve(process.argv[1] ?? "")}`).href) {
  await cli(process.argv.slice(2));
}
