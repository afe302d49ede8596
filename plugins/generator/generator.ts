/**
 * The generator source: realistic traffic (user sessions, API requests,
 * background jobs, payment-gateway incidents) at a paced rate, with custom
 * fields, bursts and optional malformed lines.
 *
 * Pacing: event k is due at a planned time (schedule.ts) measured from the
 * start on the monotonic clock; each wake-up emits every event that is due,
 * so a late wake-up is caught up in one batch and the rate never drifts.
 */
import { definePlugin, type LogRecord, type PluginContext, type Source } from "../../core/mod.ts";
import { BurstPlan, type BurstWindow } from "./burst.ts";
import type {} from "./events.ts"; // Declares the events this source emits.
import { compileFields } from "./fields.ts";
import { FaultInjector, type FaultCounts, type FaultedSeqs } from "./faults.ts";
import { isHttpRequest } from "./flow.ts";
import { Random } from "./random.ts";
import { generatorSchema, type GeneratorOptions } from "./schema.ts";
import { Schedule } from "./schedule.ts";
import { Simulation } from "./simulation.ts";
import { DEFAULT_SERVICES, type Draft } from "./world.ts";

/** What a generator reports when it ends (the `generator:finished` event). */
export interface GeneratorReport {
  generator: string;
  seed: number | string;
  emitted: number;
  /** Monotonic ms from the first to the last event. */
  elapsedMs: number;
  /** Achieved events per second: intervals between the first and last event over the time between them. */
  rate: number;
  /** The base rate asked for; undefined when unpaced. */
  targetRate: number | undefined;
  bursts: { count: number; events: number; ms: number; rate: number };
  /** Events and achieved rate outside bursts. */
  base: { events: number; ms: number; rate: number };
  faults: FaultCounts;
  /** With faults on: the seqs written spoiled, by kind (`complete` false when a long run had more runs than are kept). */
  faultSeqs?: FaultedSeqs & { complete: boolean };
  /** With `httpOnly`: simulated events that were not HTTP requests, so not emitted. */
  skipped: number;
}

/** Simulated time advances this fast when no rate is set, so a seeded unpaced run is still reproducible. */
export const NOMINAL_RATE = 1000;

/** With `httpOnly`, more events than this in a row without an HTTP request means the mix makes none. */
const MAX_SKIPPED_IN_A_ROW = 100_000;

export function createGenerator(o: GeneratorOptions, ctx: PluginContext): Source {
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 32);
  const sim = new Simulation({
    seed,
    users: o.users,
    concurrency: o.concurrency,
    mix: o.mix,
    errorRate: o.errorRate,
    abandonRate: o.abandonRate,
    thinkTimeMs: o.thinkTime,
    debug: o.debug,
    services: { ...DEFAULT_SERVICES, ...o.services },
    incidents: o.incidents ? { probability: o.incidents.probability, minMs: o.incidents.minDuration, maxMs: o.incidents.maxDuration, errorRate: o.incidents.errorRate, latencyFactor: o.incidents.latencyFactor } : { probability: 0, minMs: 0, maxMs: 0, errorRate: 0, latencyFactor: 1 },
  });
  const custom = compileFields(o.fields);
  const fieldRandom = new Random(seed, "fields");
  const faults = o.faults ? new FaultInjector(o.faults, seed) : undefined;
  const pipeline = ctx.pipeline ?? "";
  const planned = o.rate !== undefined;
  const paced = planned && o.pace;
  const plan = o.burst ? new BurstPlan({ multiplier: o.burst.multiplier, durationMs: o.burst.duration, everyMs: o.burst.every, offsetMs: o.burst.offset, probability: o.burst.probability, atMs: o.burst.at }, seed) : undefined;
  const schedule = new Schedule(o.rate ?? NOMINAL_RATE, plan);
  const { clock, bus, signal } = ctx;

  return {
    async *batches() {
      const t0 = clock.monotonic();
      const wall0 = clock.now();
      const draft: Draft = { level: "INFO", service: "", message: "" };
      let k = 0;
      let due = schedule.timeOf(0);
      let first = NaN;
      let last = NaN;
      let window: BurstWindow | undefined;
      const bursts = { count: 0, events: 0, ms: 0, since: 0, startEvents: 0 };
      let statsAt = t0;
      let statsEmitted = 0;
      let skipped = 0;

      const enterOrLeave = (next: BurstWindow | undefined, now: number) => {
        if (window) {
          bursts.events += k - bursts.startEvents;
          bursts.ms += now - bursts.since;
          bus.emit("generator:burst-ended", { pipeline, plugin: ctx.id });
        }
        window = next;
        if (next) {
          bursts.count++;
          bursts.since = now;
          bursts.startEvents = k;
          bus.emit("generator:burst-started", { pipeline, plugin: ctx.id, multiplier: next.multiplier, durationMs: next.end - next.start });
        }
      };

      const done = () => (o.count !== undefined && k >= o.count) || (o.duration !== undefined && planned && due >= o.duration);
      while (!signal.aborted && !done()) {
        let now = clock.monotonic() - t0;
        if (paced && due > now) {
          if (!(await clock.sleep(due - now, signal))) break;
          now = clock.monotonic() - t0;
        }
        const batch: LogRecord[] = [];
        while (batch.length < o.batchSize && !done() && (!paced || due <= now)) {
          const w = plan ? schedule.windowAt(due) : undefined;
          if (w !== window) enterOrLeave(w, now);
          let fields: Record<string, unknown> = { generator: o.id, seq: k + 1 };
          sim.next(due, fields, draft);
          for (let row = 0; o.httpOnly && !isHttpRequest(fields); row++) {
            if (row === MAX_SKIPPED_IN_A_ROW) throw new Error(`httpOnly: no HTTP request in ${MAX_SKIPPED_IN_A_ROW} simulated events; give sessions or api requests more weight in \`mix\``);
            skipped++;
            fields = { generator: o.id, seq: k + 1 };
            sim.next(due, fields, draft);
          }
          if (custom) custom(fieldRandom, fields, draft);
          const time = o.startTime !== undefined ? Math.floor(o.startTime + due) : paced ? Math.floor(wall0 + due) : clock.now();
          const record: LogRecord = { time, level: draft.level, message: draft.message, service: draft.service, fields };
          batch.push(record);
          k++;
          due = schedule.timeOf(k);
          // A line without its newline ends the batch, so it is the last line of that write.
          if (faults && faults.apply(record) === "noNewline") break;
        }
        if (batch.length === 0) continue;
        if (Number.isNaN(first)) first = now;
        last = now;
        yield batch;
        const after = clock.monotonic();
        if (after - statsAt >= 1000) {
          const rate = ((k - statsEmitted) * 1000) / (after - statsAt);
          bus.emit("generator:stats", { pipeline, plugin: ctx.id, emitted: k, rate, targetRate: (o.rate ?? 0) * (window?.multiplier ?? 1), burst: window !== undefined });
          statsAt = after;
          statsEmitted = k;
        }
        if (!planned && o.duration !== undefined && after - t0 >= o.duration) break;
      }
      const end = clock.monotonic() - t0;
      if (window) enterOrLeave(undefined, paced ? last : end);
      // Paced: the time spanned by the intervals between events. Unpaced: the whole run.
      const elapsedMs = paced ? (k > 1 ? last - first : 0) : end;
      const baseMs = Math.max(0, elapsedMs - bursts.ms);
      const report: GeneratorReport = {
        generator: o.id,
        seed,
        emitted: k,
        elapsedMs,
        rate: elapsedMs > 0 ? ((paced ? k - 1 : k) * 1000) / elapsedMs : 0,
        targetRate: o.rate,
        bursts: { count: bursts.count, events: bursts.events, ms: bursts.ms, rate: bursts.ms > 0 ? (bursts.events * 1000) / bursts.ms : 0 },
        base: { events: k - bursts.events, ms: baseMs, rate: baseMs > 0 ? ((k - bursts.events) * 1000) / baseMs : 0 },
        faults: faults?.counts ?? { truncated: 0, badUtf8: 0, overlong: 0, noNewline: 0 },
        skipped,
      };
      if (faults) report.faultSeqs = { ...faults.seqs, complete: faults.seqsComplete };
      bus.emit("generator:finished", { pipeline, plugin: ctx.id, ...report });
    },
  };
}

export const generator = definePlugin({
  kind: "source",
  name: "generator",
  description: "Generates realistic traffic: user sessions, API requests, background jobs and incidents, paced, seeded, with bursts",
  schema: generatorSchema,
  create: createGenerator,
});
