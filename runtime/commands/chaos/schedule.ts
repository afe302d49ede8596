/**
 * When chaos does what: a seeded plan of file-lifecycle events, placed by line
 * (`atSeq`: the event happens just before line `atSeq` is written), not by wall
 * time. So the same seed, rate and mix give the same files with the same bytes
 * and the same operations in the same places, however loaded the machine is;
 * only the collector's timing differs from run to run.
 */
import { err, ok, type Result } from "neverthrow";
import { Random } from "../../../plugins/generator/mod.ts";

/** Every event chaos can drive. */
export const EVENT_KINDS = ["rotate", "copytruncate", "truncate", "delete", "gzip", "symlink-swap", "move-dir", "slow-write", "no-newline", "kill"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The default mix: every event a correct collector survives without loss (given enough generations). */
export const DEFAULT_MIX = "rotate=4,copytruncate=2,gzip=1,slow-write=3";

/** One kind's share: a weight in the shared `--every` stream, or its own rate per minute. */
export type MixEntry = { kind: EventKind; weight: number; perMinute?: undefined } | { kind: EventKind; perMinute: number; weight?: undefined };

export interface PlannedEvent {
  /** The event happens just before this line is written (1-based). */
  atSeq: number;
  kind: EventKind;
  /** slow-write: how long the line stays half written; move-dir: how long the folder stays away; kill: how long before the restart. */
  pauseMs?: number;
}

export interface PlanOptions {
  seed: number | string;
  mix: readonly MixEntry[];
  /** Mean interval between events of the weighted kinds, ms. */
  everyMs: number;
  /** Lines per second: turns event times into line numbers. */
  rate: number;
  /** Lines in the run. */
  count: number;
  /** Longest pause of a slow write, ms (drawn uniformly from 1/10 of it to all of it). */
  maxPauseMs: number;
  /** How long a moved folder stays away, and how long a killed process stays down, ms. */
  holdMs: number;
}

/** Parses `rotate=5,copytruncate=1` (weights) or `rotate=30/min,kill=2/min` (rates); one line per problem. */
export function parseMix(spec: string): Result<MixEntry[], string[]> {
  const problems: string[] = [];
  const entries: MixEntry[] = [];
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z-]+)(?:=([0-9.]+)(\/m(?:in)?)?)?$/.exec(part);
    const kind = m?.[1] as EventKind | undefined;
    if (!m || !kind || !(EVENT_KINDS as readonly string[]).includes(kind)) {
      problems.push(`--events: "${part}" is not KIND=WEIGHT or KIND=N/min with KIND one of ${EVENT_KINDS.join(", ")}`);
      continue;
    }
    const value = m[2] === undefined ? 1 : Number(m[2]);
    if (!Number.isFinite(value) || value < 0) problems.push(`--events: "${part}": expected a number >= 0`);
    else if (entries.some((e) => e.kind === kind)) problems.push(`--events: ${kind} is given twice`);
    else entries.push(m[3] ? { kind, perMinute: value } : { kind, weight: value });
  }
  if (problems.length === 0 && entries.every((e) => (e.weight ?? e.perMinute ?? 0) === 0)) problems.push(`--events: "${spec}" gives no event a weight or rate above 0`);
  return problems.length > 0 ? err(problems) : ok(entries);
}

/** Draws one kind from the weighted entries. */
function pickWeighted(entries: readonly MixEntry[], random: Random): EventKind {
  const total = entries.reduce((n, e) => n + (e.weight ?? 0), 0);
  let x = random.next() * total;
  for (const e of entries) {
    x -= e.weight ?? 0;
    if (x < 0) return e.kind;
  }
  return entries[entries.length - 1]!.kind;
}

/** Times (ms from the start) of a Poisson stream with the given mean interval, up to `endMs`. */
function poissonTimes(meanMs: number, endMs: number, random: Random): number[] {
  const times: number[] = [];
  for (let t = random.exponential(meanMs); t < endMs && times.length < 10_000_000; t += random.exponential(meanMs)) times.push(t);
  return times;
}

/**
 * The whole plan, sorted by line. Each stream (the weighted one, each per-minute kind) has its own
 * seeded random sequence, so adding a kind to the mix does not move the others' events.
 */
export function planEvents(o: PlanOptions): PlannedEvent[] {
  const endMs = (o.count / o.rate) * 1000;
  const timed: Array<{ atMs: number; kind: EventKind; random: Random }> = [];
  const weighted = o.mix.filter((e) => (e.weight ?? 0) > 0);
  if (weighted.length > 0) {
    // Times, kinds and pauses each from their own stream: draws taken in turn from one are not independent enough.
    const kinds = new Random(o.seed, "chaos:kinds");
    const pauses = new Random(o.seed, "chaos:pauses");
    for (const atMs of poissonTimes(o.everyMs, endMs, new Random(o.seed, "chaos:every"))) timed.push({ atMs, kind: pickWeighted(weighted, kinds), random: pauses });
  }
  for (const e of o.mix) {
    if (!e.perMinute) continue;
    const pauses = new Random(o.seed, `chaos:${e.kind}:pauses`);
    for (const atMs of poissonTimes(60_000 / e.perMinute, endMs, new Random(o.seed, `chaos:${e.kind}`))) timed.push({ atMs, kind: e.kind, random: pauses });
  }
  const events = timed.map(({ atMs, kind, random }) => {
    const event: PlannedEvent = { atSeq: Math.min(o.count, Math.max(1, Math.floor((atMs * o.rate) / 1000) + 1)), kind };
    if (kind === "slow-write") event.pauseMs = Math.round(random.float(o.maxPauseMs / 10, o.maxPauseMs));
    if (kind === "move-dir" || kind === "kill") event.pauseMs = o.holdMs;
    return event;
  });
  // Stable: events of the same line keep their drawing order.
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.atSeq - b.e.atSeq || a.i - b.i).map(({ e }) => e);
}
