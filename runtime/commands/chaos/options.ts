/**
 * `logsim chaos` flags to a checked run description, with one line per problem
 * naming the flag.
 */
import { err, ok, type Result } from "neverthrow";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseDuration } from "../../../core/config/fields.ts";
import type { OptionSpec, ParsedArgs } from "../command.ts";
import { CHAOS_FORMATS, type ChaosFormat } from "./lines.ts";
import type { Victim } from "./process-control.ts";
import { DEFAULT_MIX, parseMix, type MixEntry } from "./schedule.ts";

const opt = (description: string, value?: string, short?: string): OptionSpec => ({ type: "string", description, ...(value ? { value } : {}), ...(short ? { short } : {}) });

export const chaosOptions: Record<string, OptionSpec> = {
  dir: opt("Folder of the log file, created if missing; it must hold no file of that name yet (default chaos-logs)", "DIR"),
  name: opt("Log file name in --dir (default app.log); rotated generations are NAME.1, NAME.2 ... (NAME.N.gz once compressed)", "NAME"),
  rate: opt("Lines per second (default 1000)", "N", "r"),
  count: opt("Lines to write, then stop", "N", "n"),
  duration: opt("Write for this long, e.g. 30s (default 10s unless --count)", "TIME", "d"),
  events: opt(`Event mix: KIND=WEIGHT drawn every --every on average, or KIND=N/min on its own clock; kinds: rotate, copytruncate, truncate, delete, gzip, symlink-swap, move-dir, slow-write, no-newline, kill (default ${DEFAULT_MIX})`, "MIX", "e"),
  every: opt("Mean interval between weighted events (exponential), e.g. 500ms (default 1s)", "TIME"),
  seed: opt("Seed of the lines and of the event plan: the same seed gives the same files and the same events at the same lines (default random, printed)", "SEED"),
  id: opt("Generator id on every line (default gen)", "ID"),
  format: opt(`Line format: ${CHAOS_FORMATS.join(", ")} (default json)`, "NAME", "F"),
  generations: opt("Rotated files kept; a rotation deletes the oldest beyond (default 5)", "N"),
  "max-pause": opt("Longest pause of a slow write, mid-line (default 500ms; each pause is drawn between a tenth of it and all of it)", "TIME"),
  hold: opt("How long a moved folder stays away and a killed --run command stays down (default 1s)", "TIME"),
  "copytruncate-gap": opt("Lines written between a copytruncate's copy and its truncate: the window in which they are lost (default 0)", "N"),
  run: opt('Collector to start, kill -9 (the kill event) and start again, e.g. "logsim collect -i \'chaos-logs/app.log*\'"; stopped with SIGTERM at the end', "COMMAND"),
  "kill-pid": opt("Process to kill -9 at each kill event (not restarted: its supervisor restarts it)", "PID"),
  "kill-pidfile": opt("File holding the pid to kill -9, read at each kill event", "FILE"),
  "wait-for": opt("Before the first line, wait (up to a minute) until this path exists, or this folder holds a file: the collector's state file or folder, to know it is up", "PATH"),
  "min-up": opt("With --run: a kill event is skipped (and logged) while the collector has run less than this since its last start (default 1s)", "TIME"),
  settle: opt("With --run: how long the collector gets after the last line before its SIGTERM (default 3s)", "TIME"),
  report: opt("Write the expectation for `logsim verify` (generator id, seqs, seed) with every event and the lines each put at risk, as JSON", "FILE"),
  log: opt("Write every event as JSON lines to this file as it happens (default DIR.events.jsonl beside --dir)", "FILE"),
  quiet: { type: "boolean", short: "q", description: "Print no event lines on stderr (the summary still)" },
};

export interface ChaosRun {
  dir: string;
  path: string;
  rate: number;
  count: number;
  mix: MixEntry[];
  mixText: string;
  everyMs: number;
  seed: number | string;
  id: string;
  format: ChaosFormat;
  generations: number;
  maxPauseMs: number;
  holdMs: number;
  copytruncateGap: number;
  victim?: Victim;
  settleMs: number;
  minUpMs: number;
  waitFor?: string;
  report?: string;
  log: string;
  quiet: boolean;
}

type Values = ParsedArgs["values"];

/** The run the flags describe, or every problem with them. `cwd` resolves paths; `randomSeed` is used when --seed is not given. */
export function chaosRun(values: Values, cwd: string, randomSeed: number): Result<ChaosRun, string[]> {
  const p: string[] = [];
  const str = (name: string) => (values[name] === undefined ? undefined : String(values[name]));
  const int = (name: string, fallback: number, min: number) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(n) || n < min) p.push(`--${name}: expected a whole number >= ${min}, got "${raw}"`);
    return n;
  };
  const ms = (name: string, fallback: number) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const v = parseDuration(raw);
    if (v === undefined) p.push(`--${name}: expected a duration such as 30s or 250ms, got "${raw}"`);
    return v ?? fallback;
  };
  const rateRaw = str("rate");
  const rate = rateRaw === undefined ? 1000 : Number(rateRaw);
  if (!(rate > 0) || !Number.isFinite(rate)) p.push(`--rate: expected a number of lines per second above 0, got "${rateRaw}"`);
  if (values.count !== undefined && values.duration !== undefined) p.push("--count and --duration: give one (the run is --count lines, or --rate lines a second for --duration)");
  const durationMs = ms("duration", 10_000);
  const count = values.count !== undefined ? int("count", 0, 1) : Math.max(1, Math.round((durationMs / 1000) * rate));
  const mixText = str("events") ?? DEFAULT_MIX;
  const mix = parseMix(mixText);
  if (mix.isErr()) p.push(...mix.error);
  const everyMs = ms("every", 1000);
  if (everyMs <= 0) p.push("--every: expected a duration above 0");
  const format = (str("format") ?? "json") as ChaosFormat;
  if (!(CHAOS_FORMATS as readonly string[]).includes(format)) p.push(`--format: expected one of ${CHAOS_FORMATS.join(", ")}, got "${format}"`);
  const victims: Victim[] = [];
  if (str("run") !== undefined) victims.push({ kind: "run", command: str("run")! });
  if (str("kill-pid") !== undefined) victims.push({ kind: "pid", pid: int("kill-pid", 0, 1) });
  if (str("kill-pidfile") !== undefined) victims.push({ kind: "pidfile", path: resolve(cwd, str("kill-pidfile")!) });
  if (victims.length > 1) p.push("--run, --kill-pid and --kill-pidfile: give one process to kill");
  if (mix.isOk() && mix.value.some((e) => e.kind === "kill" && (e.weight ?? e.perMinute ?? 0) > 0) && victims.length === 0) p.push("--events: kill needs a process: give --run COMMAND, --kill-pid PID or --kill-pidfile FILE");
  const name = str("name") ?? "app.log";
  if (name.includes("/") || name === "" || name === "." || name === "..") p.push(`--name: expected a file name without a folder, got "${name}"`);
  const dir = resolve(cwd, str("dir") ?? "chaos-logs");
  const taken = listing(dir).filter((f) => f === name || f.startsWith(`${name}.`));
  if (taken.length > 0) p.push(`--dir: ${dir} already holds ${taken.slice(0, 3).join(", ")}${taken.length > 3 ? " ..." : ""}: chaos starts with no file of that name, so it knows which lines every file holds (remove them or pick another --dir)`);
  const seedRaw = str("seed");
  const seed = seedRaw === undefined ? randomSeed : /^\d+$/.test(seedRaw) ? Number(seedRaw) : seedRaw;
  const run: ChaosRun = {
    dir,
    path: resolve(dir, name),
    rate,
    count,
    mix: mix.isOk() ? mix.value : [],
    mixText,
    everyMs,
    seed,
    id: str("id") ?? "gen",
    format,
    generations: int("generations", 5, 1),
    maxPauseMs: ms("max-pause", 500),
    holdMs: ms("hold", 1000),
    copytruncateGap: int("copytruncate-gap", 0, 0),
    ...(victims[0] ? { victim: victims[0] } : {}),
    settleMs: ms("settle", 3000),
    minUpMs: ms("min-up", 1000),
    ...(str("wait-for") !== undefined ? { waitFor: resolve(cwd, str("wait-for")!) } : {}),
    ...(str("report") !== undefined ? { report: resolve(cwd, str("report")!) } : {}),
    log: resolve(cwd, str("log") ?? `${dir}.events.jsonl`),
    quiet: values.quiet === true,
  };
  return p.length > 0 ? err(p) : ok(run);
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
