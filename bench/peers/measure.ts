/**
 * Runs one subject as a whole process under GNU time and measures it: wall time from spawn to
 * done, CPU seconds (user + system) and peak RSS of the process (time's %U %S %M, from wait4).
 * A subject that exits by itself (logsim --once, the ceiling) is done when it exits. A daemon
 * (rsyslog, syslog-ng) is done when its output and dead-letter files hold the expected number of
 * lines; it is then stopped with SIGTERM. A daemon whose output stops growing short of that is
 * taken as done at its last growth (its counts then differ and the table says so), and every
 * wait has a deadline.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { TIME } from "./tools.ts";

export interface Subject {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** A daemon: done when these files hold these many lines; stopped through its pid file. */
  daemon?: { pidFile: string; files: Array<{ path: string; lines: number }> };
}

export interface Measured {
  wallMs: number;
  cpuS: number;
  peakRssMiB: number;
  /** Why the run has no figures (exit before done, deadline), or "". */
  failure: string;
  /** What else to know (a daemon's output stopped short: done at its last growth), or "". */
  note: string;
}

/** Counts the lines appended to a file since the last call, reading only what is new. */
class LineCounter {
  #fd: number | undefined;
  #offset = 0;
  #buffer = new Uint8Array(1 << 20);
  lines = 0;
  constructor(private readonly path: string) {}
  /** Reads what is new; true when anything was. */
  poll(): boolean {
    try {
      this.#fd ??= openSync(this.path, "r");
    } catch {
      return false;
    }
    let grew = false;
    for (let n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#offset); n > 0; n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#offset)) {
      grew = true;
      this.#offset += n;
      const view = this.#buffer.subarray(0, n);
      for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) this.lines++;
    }
    return grew;
  }
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Measures one run of `subject`; `deadlineMs` bounds the whole run, `stallMs` a daemon's silence. */
export async function measure(subject: Subject, timeFile: string, deadlineMs: number, stallMs = 10_000): Promise<Measured> {
  rmSync(timeFile, { force: true });
  const started = performance.now();
  const child = spawn(TIME, ["-f", "%U %S %M", "-o", timeFile, "--", ...subject.argv], {
    cwd: subject.cwd,
    env: { ...process.env, ...subject.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  let exitCode: number | undefined;
  void exited.then((c) => (exitCode = c));
  let doneAt: number | undefined;
  let failure = "";
  let note = "";

  if (subject.daemon) {
    const counters = subject.daemon.files.map((f) => ({ want: f.lines, counter: new LineCounter(f.path) }));
    let lastGrowth = performance.now();
    for (;;) {
      const now = performance.now();
      if (counters.map((c) => c.counter.poll()).some(Boolean)) lastGrowth = now;
      if (counters.every((c) => c.counter.lines >= c.want)) {
        doneAt = now;
        break;
      }
      if (exitCode !== undefined) {
        failure = `exited ${exitCode} before done: ${stderr.trim().split("\n").pop() ?? ""}`;
        doneAt = lastGrowth;
        break;
      }
      if (now - lastGrowth > stallMs && counters.some((c) => c.counter.lines > 0)) {
        note = `output stopped growing short of the expected lines (${counters.map((c) => `${c.counter.lines}/${c.want}`).join(", ")})`;
        doneAt = lastGrowth;
        break;
      }
      if (now - started > deadlineMs) {
        failure = `not done within ${Math.round(deadlineMs / 1000)} s (${counters.map((c) => `${c.counter.lines}/${c.want}`).join(", ")})`;
        doneAt = now;
        break;
      }
      await sleep(5);
    }
    for (const c of counters) c.counter.close();
    await stopDaemon(subject.daemon.pidFile, child.pid!, exited);
  } else {
    const timer = setTimeout(() => {
      failure = `killed after ${Math.round(deadlineMs / 1000)} s`;
      child.kill("SIGKILL");
    }, deadlineMs);
    const code = await exited;
    clearTimeout(timer);
    doneAt = performance.now();
    if (code !== 0 && !failure) failure = `exit code ${code}: ${stderr.trim().split("\n").pop() ?? ""}`;
  }
  await exited;
  const [user, system, maxKiB] = readTime(timeFile);
  return { wallMs: doneAt - started, cpuS: user + system, peakRssMiB: maxKiB / 1024, failure, note };
}

/** SIGTERM to the daemon (its pid file; GNU time would die of it, not pass it on), SIGKILL after 10 s. */
async function stopDaemon(pidFile: string, timePid: number, exited: Promise<number>): Promise<void> {
  let pid: number | undefined;
  for (let i = 0; i < 200 && !pid; i++) {
    try {
      pid = Number(readFileSync(pidFile, "utf8").trim()) || undefined;
    } catch {
      await sleep(10);
    }
  }
  // No pid file: the daemon is GNU time's child (signalling time itself would orphan it).
  pid ??= Number(readChildren(timePid)[0]) || undefined;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid ?? timePid, signal);
    } catch {
      // Gone already.
    }
  };
  kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    kill("SIGKILL");
    await exited;
  }
}

/** GNU time's "%U %S %M" line (the last line: a killed child adds "Command terminated by signal" before it). */
function readTime(path: string): [number, number, number] {
  try {
    const last = readFileSync(path, "utf8").trim().split("\n").pop() ?? "";
    const [u, s, m] = last.split(" ").map(Number);
    return [u ?? Number.NaN, s ?? Number.NaN, m ?? Number.NaN];
  } catch {
    return [Number.NaN, Number.NaN, Number.NaN];
  }
}

/** The pids of a process's children (Linux /proc), [] when it has none or is gone. */
function readChildren(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}
