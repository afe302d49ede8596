/**
 * Follow latency of the peers, through the one latency driver (bench/follow-latency.ts
 * `measureFollowLatency`: paced writes, rate-phase p50/p99/max, quiet lines after a silence, the
 * tool's CPU from /proc, missing and duplicated lines). Each tool follows an empty file with the
 * collect workload's rules while probe lines the filter keeps (JSON, level ERROR, service payment)
 * are appended at a steady rate; rounds alternate the tools and the table gives medians of rounds.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureFollowLatency, type FollowOptions, type FollowPaths, type FollowResult } from "../follow-latency.ts";
import { logsimRun } from "./logsim.ts";
import { rsyslogConfig } from "./rsyslog.ts";
import { rsyslogFiles } from "./subjects.ts";
import { syslogNgConfig } from "./syslog-ng.ts";
import { cell, markdownTable, median } from "./table.ts";
import { ROOT, RSYSLOG, runtimeCommand, SYSLOG_NG, unprivileged } from "./tools.ts";

export interface FollowTool {
  name: string;
  /** The argv and environment that follow `paths.input` into `paths.output` (config files go in `paths.dir`). */
  command(paths: FollowPaths): { argv: string[]; env?: Record<string, string> };
}

const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** A tool's argv and environment as the shell line measureFollowLatency runs. */
export function shellLine(argv: string[], env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return [...(vars.length > 0 ? ["env", ...vars] : []), ...argv].map(quote).join(" ");
}

/** A workload JSON line the filter keeps and the payment tag marks, carrying the driver's probe text. */
export const probeLine = (probe: string) =>
  JSON.stringify({ time: new Date().toISOString(), level: "ERROR", service: "payment", msg: `${probe} charge failed`, request_id: "r-1", user: "u-1", latency_ms: 1 });

export const FOLLOW_TOOLS: FollowTool[] = [
  ...(["node", "bun"] as const).map((runtime): FollowTool => ({
    name: `hand-written follower (${runtime})`,
    command: (p) => {
      const follower = join(ROOT, "bench/peers/follower.ts");
      return { argv: [...(runtime === "node" ? ["node", "--import", "tsx", follower] : runtimeCommand("bun", follower)), p.input, p.output] };
    },
  })),
  ...(["bun", "node"] as const).map((runtime): FollowTool => ({
    name: `logsim (${runtime})`,
    command: (p) => logsimRun(runtime, { input: p.input, output: p.output, stateDir: join(p.dir, "state") }, { follow: true }),
  })),
  {
    name: "rsyslog 8.2302 (tuned)",
    command: (p) => {
      const conf = join(p.dir, "rsyslog.conf");
      writeFileSync(conf, rsyslogConfig({ ...rsyslogFiles(p.dir, "tuned"), input: p.input, output: p.output, deadletter: join(p.dir, "dead.log") }));
      return { argv: unprivileged([RSYSLOG.binary, "-n", "-f", conf, "-M", RSYSLOG.moduleDir, "-i", join(p.dir, "rsyslogd.pid")]), env: RSYSLOG.env };
    },
  },
  {
    name: "syslog-ng 3.38",
    command: (p) => {
      const conf = join(p.dir, "syslog-ng.conf");
      // syslog-ng polls a regular file every follow-freq seconds (default 1): 10 ms, as a user who
      // wants low latency would set it.
      writeFileSync(conf, syslogNgConfig({ input: p.input, output: p.output, deadletter: join(p.dir, "dead.log"), followFreq: 0.01 }));
      return {
        argv: unprivileged([
          SYSLOG_NG.binary, "-F", "-f", conf, `--module-path=${SYSLOG_NG.moduleDir}`, `--persist-file=${join(p.dir, "syslog-ng.persist")}`,
          `--pidfile=${join(p.dir, "syslog-ng.pid")}`, `--control=${join(p.dir, "syslog-ng.ctl")}`, "--no-caps",
        ]),
        env: SYSLOG_NG.env,
      };
    },
  },
];

/** One tool measured once by the driver, at `rate` lines/s for `seconds` (`more`: the driver's other options). */
export function followOnce(tool: FollowTool, rate: number, seconds: number, more: Partial<FollowOptions> = {}): Promise<FollowResult> {
  return measureFollowLatency({
    ...more,
    command: (p) => {
      const c = tool.command(p);
      return shellLine(c.argv, c.env);
    },
    rate,
    seconds,
    line: probeLine,
  });
}

export interface LatencyOptions {
  seconds: number;
  rate: number;
  rounds: number;
  /** Only the tools whose name matches. */
  only: RegExp;
  log(line: string): void;
}

export async function benchLatency(o: LatencyOptions): Promise<{ table: string; notes: string[] }> {
  const installed = (t: FollowTool) => (t.name.startsWith("rsyslog") ? existsSync(RSYSLOG.binary) : t.name.startsWith("syslog-ng") ? existsSync(SYSLOG_NG.binary) : true);
  const tools = FOLLOW_TOOLS.filter((t) => installed(t) && o.only.test(t.name));
  const results = new Map<string, { runs: FollowResult[]; failures: string[] }>(tools.map((t) => [t.name, { runs: [], failures: [] }]));
  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < tools.length; i++) {
      const tool = tools[(i + round) % tools.length]!;
      const into = results.get(tool.name)!;
      try {
        const r = await followOnce(tool, o.rate, o.seconds);
        into.runs.push(r);
        o.log(`  latency round ${round + 1}/${o.rounds} ${tool.name}: p50 ${r.load.p50.toFixed(2)} ms, p99 ${r.load.p99.toFixed(2)} ms, max ${r.load.max.toFixed(1)} ms; quiet max ${r.quiet.max.toFixed(2)} ms; CPU ${r.cpuPercent.toFixed(1)}%${r.missing + r.duplicated ? `; missing ${r.missing}, duplicated ${r.duplicated}` : ""}`);
      } catch (error) {
        into.failures.push((error as Error).message.split("\n")[0]!);
        o.log(`  latency round ${round + 1}/${o.rounds} ${tool.name}: ${(error as Error).message.slice(0, 500)}`);
      }
    }
  }
  const notes: string[] = [];
  const rows = tools.map((t) => {
    const { runs, failures } = results.get(t.name)!;
    const m = (f: (r: FollowResult) => number, digits = 2) => cell(median(runs.map(f)), digits);
    const missing = runs.reduce((a, r) => a + r.missing, 0);
    const duplicated = runs.reduce((a, r) => a + r.duplicated, 0);
    if (failures.length > 0) notes.push(`${t.name}: ${[...new Set(failures)].join(" | ")}`);
    if (missing + duplicated > 0) notes.push(`${t.name}: ${missing} lines never came out, ${duplicated} came out more than once`);
    return [t.name, cell(runs.length), m((r) => r.load.p50), m((r) => r.load.p99), m((r) => r.load.max, 1), m((r) => r.quiet.p50), m((r) => r.quiet.max), m((r) => r.cpuPercent, 1), m((r) => r.peakRssMiB, 0), cell(missing), cell(duplicated)];
  });
  const header = ["follower", "rounds", "p50 ms", "p99 ms", "max ms", "quiet p50 ms", "quiet max ms", "CPU % of a core", "peak RSS MiB", "missing", "duplicated"];
  return { table: markdownTable(header, rows), notes };
}
