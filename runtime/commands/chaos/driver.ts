/**
 * The chaos run: writes the generated lines at the chosen rate into the log
 * file and, at the planned lines, does the planned events to the file and the
 * collector. Two-part events (a copytruncate's truncate, a moved folder's
 * return, a killed collector's restart) wait in `pending` for their line or
 * their time. Every event is recorded with the seqs it put at risk.
 */
import { readdirSync, statSync } from "node:fs";
import type { Clock } from "../../../core/clock.ts";
import type { ChaosEvent, EventLog } from "./event-log.ts";
import { LogFiles, rangeText, type AtRisk, type Done } from "./log-files.ts";
import type { Victim } from "./process-control.ts";
import type { EventKind, PlannedEvent } from "./schedule.ts";
import { Supervisor } from "./supervisor.ts";

export interface DriverOptions {
  path: string;
  generations: number;
  /** Lines per second. */
  rate: number;
  plan: readonly PlannedEvent[];
  /** Lines written between a copytruncate's copy and its truncate (the window that loses them). */
  copytruncateGap: number;
  victim?: Victim;
  /** After the last line, how long the `--run` collector gets to catch up before its SIGTERM, ms. */
  settleMs: number;
  /** How long a killed (or crashed) `--run` collector stays down before it is started again, ms. */
  holdMs: number;
  /** Before the first line, wait until this path exists (a folder: until it holds a file): the collector is up. */
  waitFor?: string;
  /** Longest wait for `waitFor`, ms. */
  waitForMs?: number;
  /** A `--run` collector is killed only once it has run this long since its last start, ms. */
  minUpMs: number;
  /** How long the `--run` collector gets to exit after SIGTERM before SIGKILL, ms. */
  stopGraceMs: number;
}

export interface DriverDeps {
  clock: Clock;
  lines: AsyncIterable<string>;
  log: EventLog;
  /** Aborted: stop writing, finish what is pending, stop the collector. */
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Lines at risk, with the index of the event (in `events`) that put them there. */
export type EventAtRisk = AtRisk & { event: number };

export interface DriverResult {
  written: number;
  elapsedMs: number;
  atRisk: EventAtRisk[];
  files: Record<string, { from: number; to: number }>;
  /** Events planned but not done: the run was stopped first. */
  skipped: number;
  /** Times the --run collector exited by itself. */
  crashes: number;
}

/** Events that change files: they wait while the folder is moved away. */
const FILE_EVENTS: ReadonlySet<EventKind> = new Set(["rotate", "copytruncate", "truncate", "delete", "gzip", "symlink-swap", "move-dir", "no-newline"]);

interface Pending {
  atMs?: number;
  afterSeq?: number;
  run: () => void;
}

export async function runDriver(o: DriverOptions, deps: DriverDeps): Promise<DriverResult> {
  const { clock, log, signal } = deps;
  const t0 = clock.monotonic();
  const elapsed = () => clock.monotonic() - t0;
  const symlink = o.plan.some((e) => e.kind === "symlink-swap");
  const files = new LogFiles({ path: o.path, generations: o.generations, symlink, now: elapsed });
  const atRisk: EventAtRisk[] = [];
  let seq = 0;
  const record = (kind: ChaosEvent["kind"], detail: string, risk: AtRisk[] = [], pid?: number) => {
    const event: ChaosEvent = { time: new Date(clock.now()).toISOString(), elapsedMs: Math.round(elapsed()), kind, seq, detail, ...(pid !== undefined ? { pid } : {}), ...(risk.length > 0 ? { atRisk: risk } : {}) };
    for (const r of risk) atRisk.push({ ...r, event: log.events.length });
    log.record(event);
  };
  const pending: Pending[] = [];
  const supervisor = o.victim
    ? new Supervisor(o.victim, { elapsed, record: (kind, detail, pid) => record(kind, detail, [], pid), later: (atMs, run) => pending.push({ atMs, run }), holdMs: o.holdMs, minUpMs: o.minUpMs, env: deps.env })
    : undefined;
  record("start", `writing ${files.name(o.path)} at ${o.rate} lines/s${symlink ? " through a symlink" : ""}${supervisor?.pid ? `; collector pid ${supervisor.pid}` : ""}`);
  const runDue = (force = false) => {
    for (let i = 0; i < pending.length; ) {
      const p = pending[i]!;
      if (force || (p.atMs !== undefined && p.atMs <= elapsed()) || (p.afterSeq !== undefined && p.afterSeq <= seq)) {
        pending.splice(i, 1);
        p.run();
      } else i++;
    }
  };
  const doEvent = (e: PlannedEvent): { slowMs?: number; noNewline?: boolean } => {
    const done = (kind: ChaosEvent["kind"], d: Done) => record(kind, d.detail, d.atRisk);
    switch (e.kind) {
      case "rotate": return done("rotate", files.rotate()), {};
      case "truncate": return done("truncate", files.truncate()), {};
      case "delete": return done("delete", files.deleteAndRecreate()), {};
      case "gzip": return done("gzip", files.gzip()), {};
      case "symlink-swap": return done("symlink-swap", files.symlinkSwap()), {};
      case "slow-write": return { slowMs: e.pauseMs ?? 0 };
      case "no-newline": return { noNewline: true };
      case "copytruncate": {
        if (files.copytruncatePending) return {};
        done("copytruncate", files.startCopytruncate());
        const finish = () => done("copytruncate-done", files.finishCopytruncate());
        if (o.copytruncateGap === 0) finish();
        else pending.push({ afterSeq: seq + o.copytruncateGap, run: finish });
        return {};
      }
      case "move-dir": {
        done("move-dir", files.moveDirAway());
        pending.push({ atMs: elapsed() + (e.pauseMs ?? 0), run: () => done("move-dir-back", files.moveDirBack()) });
        return {};
      }
      case "kill": return supervisor?.kill(), {};
    }
  };

  if (o.waitFor) {
    const waited = await waitForPath(o.waitFor, o.waitForMs ?? 60_000, clock, signal);
    if (waited === undefined) {
      files.close();
      await supervisor?.stop(o.stopGraceMs);
      throw new Error(`${o.waitFor} did not appear within ${Math.round((o.waitForMs ?? 60_000) / 1000)} s (--wait-for): is the collector running, and is that its state file or folder?`);
    }
    record("ready", `${o.waitFor} appeared after ${Math.round(waited)} ms`);
  }
  let next = 0;
  let batch = "";
  let batchFrom = 0;
  const flush = () => {
    if (batch === "") return;
    files.write(batch, { from: batchFrom, to: seq });
    batch = "";
  };
  try {
    for await (const line of deps.lines) {
      if (signal.aborted) break;
      const k = seq + 1;
      const dueMs = ((k - 1) * 1000) / o.rate;
      // Lines due now go out in one write; an event or a wait writes what is gathered first.
      if (dueMs > elapsed() || pending.length > 0 || o.plan[next]?.atSeq === k) flush();
      while (dueMs > elapsed() && !signal.aborted) {
        const wake = Math.min(dueMs, ...pending.map((p) => p.atMs ?? Infinity));
        await clock.sleep(Math.max(0, wake - elapsed()), signal);
        runDue();
      }
      if (signal.aborted) break;
      runDue();
      let slowMs: number | undefined;
      let noNewline = false;
      while (next < o.plan.length && o.plan[next]!.atSeq <= k) {
        const e = o.plan[next]!;
        if (files.away && FILE_EVENTS.has(e.kind)) break; // Done once the folder is back.
        next++;
        const effect = doEvent(e);
        slowMs ??= effect.slowMs;
        noNewline ||= effect.noNewline === true;
      }
      if (slowMs !== undefined || noNewline) {
        flush();
        await writeSpecial(files, line, k, { slowMs, noNewline, clock, signal, record });
        seq = k;
        if (noNewline) {
          const d = files.rotate();
          record("no-newline", `seq ${k} written without its newline, then ${d.detail}`, [{ from: k, to: k, reason: "no-newline", ageMs: 0 }, ...d.atRisk]);
        }
        continue;
      }
      if (batch === "") batchFrom = k;
      batch += `${line}\n`;
      seq = k;
      if (batch.length >= 65536) flush();
    }
    flush();
  } finally {
    flush();
    runDue(true);
    files.close();
  }
  const skipped = o.plan.length - next;
  record("end", `${seq} lines written in ${(elapsed() / 1000).toFixed(2)} s${skipped > 0 ? `; ${skipped} planned events not done (stopped early)` : ""}`);
  if (supervisor && o.victim?.kind === "run") {
    if (!signal.aborted) await clock.sleep(o.settleMs, signal);
    await supervisor.stop(o.stopGraceMs);
  }
  return { written: seq, elapsedMs: elapsed(), atRisk, files: files.files(), skipped, crashes: supervisor?.crashes ?? 0 };
}

/** Waits until `path` exists (a folder: holds an entry), checking every 50 ms; the ms waited, or undefined past `timeoutMs`. */
async function waitForPath(path: string, timeoutMs: number, clock: Clock, signal: AbortSignal): Promise<number | undefined> {
  const start = clock.monotonic();
  const there = () => {
    try {
      return !statSync(path).isDirectory() || readdirSync(path).length > 0;
    } catch {
      return false;
    }
  };
  while (!there()) {
    if (clock.monotonic() - start > timeoutMs || signal.aborted) return undefined;
    await clock.sleep(50, signal);
  }
  return clock.monotonic() - start;
}

/** A slow write (half the line, a pause, the rest) and/or a line without its newline. */
async function writeSpecial(files: LogFiles, line: string, k: number, o: { slowMs?: number; noNewline: boolean; clock: Clock; signal: AbortSignal; record: (kind: ChaosEvent["kind"], detail: string) => void }): Promise<void> {
  const bytes = new TextEncoder().encode(o.noNewline ? line : `${line}\n`);
  if (o.slowMs === undefined) return files.write(bytes, { from: k, to: k });
  // The cut may fall inside a UTF-8 character: a reader must not decode half a line.
  const cut = Math.max(1, bytes.length >> 1);
  files.write(bytes.subarray(0, cut));
  o.record("slow-write", `seq ${k}: ${cut} of ${bytes.length} bytes written, the rest in ${o.slowMs} ms`);
  await o.clock.sleep(o.slowMs, o.signal);
  files.write(bytes.subarray(cut), { from: k, to: k });
}

export { rangeText };
