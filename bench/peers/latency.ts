/**
 * Follow latency: each tool follows an empty file while this process appends probe lines to it at
 * a steady rate; a probe's latency is from just after its write to the moment its record is in
 * the tool's output (watched with inotify, polled every 2 ms besides). Probes are JSON lines the
 * filter keeps. The tool is ready once a warm-up probe comes through; rounds are pooled into
 * p50/p99/max. `followLatency` is the hook for the latency work's bench/follow-latency.ts driver
 * (a tool's command, input and output): swap its body when that lands.
 */
import { spawn } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, watch, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { logsimRun } from "./logsim.ts";
import { rsyslogFiles } from "./subjects.ts";
import { rsyslogConfig } from "./rsyslog.ts";
import { syslogNgConfig } from "./syslog-ng.ts";
import { cell, markdownTable } from "./table.ts";
import { ROOT, RSYSLOG, runtimeCommand, SYSLOG_NG, unprivileged } from "./tools.ts";

export interface FollowCommand {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface FollowTool {
  name: string;
  /** The command that follows `input` into `output`, given a private folder. */
  command(dir: string, input: string, output: string): FollowCommand;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const probe = (id: number) =>
  `${JSON.stringify({ time: new Date().toISOString(), level: "ERROR", service: "payment", msg: `probe ${id} charge failed`, request_id: `r-${id}`, user: "u-1", latency_ms: 1 })}\n`;

/** Latencies (ms) of `rate` probes/s for `seconds`, through `tool`; throws when the tool never answers. */
export async function followLatency(tool: FollowTool, dir: string, rate: number, seconds: number): Promise<{ latencies: number[]; lost: number }> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const input = join(dir, "in.log");
  const output = join(dir, "out.jsonl");
  writeFileSync(input, "");
  chmodSync(input, 0o644);
  const command = tool.command(dir, input, output);
  const child = spawn(command.argv[0]!, command.argv.slice(1), { cwd: command.cwd ?? dir, env: { ...process.env, ...command.env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));

  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const inFd = openSync(input, "a");
  let outFd: number | undefined;
  let outOffset = 0;
  let partial = "";
  const buffer = new Uint8Array(1 << 20);
  const decoder = new TextDecoder();
  const read = () => {
    const now = performance.now();
    try {
      outFd ??= openSync(output, "r");
    } catch {
      return;
    }
    for (let n = readSync(outFd, buffer, 0, buffer.length, outOffset); n > 0; n = readSync(outFd, buffer, 0, buffer.length, outOffset)) {
      outOffset += n;
      const lines = (partial + decoder.decode(buffer.subarray(0, n))).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        const id = Number(/probe (-?\d+)/.exec(line)?.[1]);
        const sent = sentAt.get(id);
        if (sent !== undefined) {
          latencies.push(now - sent);
          sentAt.delete(id);
        }
      }
    }
  };
  const send = (id: number) => {
    writeSync(inFd, probe(id));
    sentAt.set(id, performance.now());
  };
  let watcher: ReturnType<typeof watch> | undefined;
  const poller = setInterval(() => {
    watcher ??= existsSync(output) ? watch(output, read) : undefined;
    read();
  }, 2);
  try {
    // Ready once a warm-up probe (negative ids) comes through: 30 s at most.
    const readyBy = performance.now() + 30_000;
    for (let id = -1; latencies.length === 0; id--) {
      if (!alive || performance.now() > readyBy) throw new Error(`${tool.name} did not write a followed line within 30 s${alive ? "" : ` (exited: ${stderr.trim().split("\n").pop() ?? ""})`}`);
      send(id);
      await sleep(50);
    }
    latencies.length = 0;
    sentAt.clear();
    const total = Math.round(rate * seconds);
    const started = performance.now();
    for (let id = 0; id < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (id < due) send(id++);
      await sleep(1);
    }
    // The last probes: 5 s at most.
    const drainBy = performance.now() + 5_000;
    while (sentAt.size > 0 && performance.now() < drainBy) await sleep(5);
    return { latencies: [...latencies], lost: sentAt.size };
  } finally {
    clearInterval(poller);
    watcher?.close();
    closeSync(inFd);
    if (outFd !== undefined) closeSync(outFd);
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (alive) {
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export const FOLLOW_TOOLS: FollowTool[] = [
  { name: "hand-written follower (node)", command: (_, input, output) => ({ argv: ["node", "--import", "tsx", join(ROOT, "bench/peers/follower.ts"), input, output], cwd: ROOT }) },
  { name: "hand-written follower (bun)", command: (_, input, output) => ({ argv: [...runtimeCommand("bun", join(ROOT, "bench/peers/follower.ts")), input, output] }) },
  ...(["bun", "node"] as const).map((runtime): FollowTool => ({
    name: `logsim (${runtime})`,
    command: (dir, input, output) => logsimRun(runtime, { input, output, stateDir: join(dir, "state") }, { follow: true }),
  })),
  {
    name: "rsyslog 8.2302 (tuned)",
    command: (dir, input, output) => {
      const conf = join(dir, "rsyslog.conf");
      writeFileSync(conf, rsyslogConfig({ ...rsyslogFiles(dir, "tuned"), input, output, deadletter: join(dir, "dead.log") }));
      return { argv: unprivileged([RSYSLOG.binary, "-n", "-f", conf, "-M", RSYSLOG.moduleDir, "-i", join(dir, "rsyslogd.pid")]), env: RSYSLOG.env };
    },
  },
  {
    name: "syslog-ng 3.38",
    command: (dir, input, output) => {
      const conf = join(dir, "syslog-ng.conf");
      // syslog-ng polls a regular file every follow-freq seconds (default 1): 10 ms, as a user who
      // wants low latency would set it.
      writeFileSync(conf, syslogNgConfig({ input, output, deadletter: join(dir, "dead.log"), followFreq: 0.01 }));
      return {
        argv: unprivileged([
          SYSLOG_NG.binary, "-F", "-f", conf, `--module-path=${SYSLOG_NG.moduleDir}`, `--persist-file=${join(dir, "syslog-ng.persist")}`,
          `--pidfile=${join(dir, "syslog-ng.pid")}`, `--control=${join(dir, "syslog-ng.ctl")}`, "--no-caps",
        ]),
        env: SYSLOG_NG.env,
      };
    },
  },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export interface LatencyOptions {
  seconds: number;
  rate: number;
  rounds: number;
  /** Only the tools whose name matches. */
  only: RegExp;
  dir: string;
  log(line: string): void;
}

export async function benchLatency(o: LatencyOptions): Promise<{ table: string; notes: string[] }> {
  const tools = FOLLOW_TOOLS.filter((t) => !t.name.startsWith("rsyslog") || existsSync(RSYSLOG.binary)).filter((t) => !t.name.startsWith("syslog-ng") || existsSync(SYSLOG_NG.binary))
    .filter((t) => o.only.test(t.name));
  const pooled = new Map<string, { latencies: number[]; lost: number; failures: string[] }>(tools.map((t) => [t.name, { latencies: [], lost: 0, failures: [] }]));
  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < tools.length; i++) {
      const tool = tools[(i + round) % tools.length]!;
      const into = pooled.get(tool.name)!;
      try {
        const r = await followLatency(tool, join(o.dir, `round${round}-${i}`), o.rate, o.seconds);
        into.latencies.push(...r.latencies);
        into.lost += r.lost;
        const s = [...r.latencies].sort((a, b) => a - b);
        o.log(`  latency round ${round + 1}/${o.rounds} ${tool.name}: p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms, max ${s.at(-1)?.toFixed(1)} ms${r.lost ? `, ${r.lost} not seen` : ""}`);
      } catch (error) {
        into.failures.push((error as Error).message);
        o.log(`  latency round ${round + 1}/${o.rounds} ${tool.name}: ${(error as Error).message}`);
      }
    }
  }
  const notes: string[] = [];
  const rows = tools.map((t) => {
    const r = pooled.get(t.name)!;
    const s = r.latencies.sort((a, b) => a - b);
    if (r.failures.length > 0) notes.push(`${t.name}: ${[...new Set(r.failures)].join(" | ")}`);
    if (r.lost > 0) notes.push(`${t.name}: ${r.lost} probes not in the output 5 s after the last was written`);
    return [t.name, cell(s.length), cell(percentile(s, 50), 2), cell(percentile(s, 99), 2), cell(s.at(-1), 1)];
  });
  return { table: markdownTable(["follower", "probes", "p50 ms", "p99 ms", "max ms"], rows), notes };
}
