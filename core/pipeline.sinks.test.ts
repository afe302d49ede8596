/**
 * Sinks each write from their own bounded buffer: a failing sink is retried without
 * holding up the others, its backoff ends at once on stop, and the retry settings are
 * the pipeline's. Timing logic runs on a fake clock (no real waits); the one timing
 * test (stop during a 5 s backoff) measures against the system clock the pipeline used.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { detectRuntime } from "../runtime/detect.ts";
import { waitFor } from "../tests/_helpers.ts";
import { createApp } from "./app.ts";
import { systemClock, type Clock } from "./clock.ts";
import { validateConfig } from "./config/validate.ts";
import { definePlugin } from "./plugin.ts";
import type { LogRecord } from "./types.ts";

const runtime = await detectRuntime();
/** A hook timeout no test reaches, so the fake clock's only short sleeps are sink backoffs. */
const HOOK_TIMEOUT = "1h";
const HOOK_TIMEOUT_MS = 3_600_000;

/**
 * A fake clock (core/clock.ts has none yet): time moves only by advance(); sleeps are
 * recorded and resolve when their time comes or (false) when their signal aborts.
 */
function fakeClock(): Clock & { advance(ms: number): void; sleeps: number[]; pending(): number } {
  let now = 0;
  let timers: Array<{ at: number; resolve: (done: boolean) => void }> = [];
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => 1_700_000_000_000 + now,
    monotonic: () => now,
    pending: () => timers.length,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      // The pipeline's wait for its sources at stop, bounded by the hook timeout: never due here.
      if (ms === HOOK_TIMEOUT_MS) return new Promise((resolve) => signal?.addEventListener("abort", () => resolve(false), { once: true }));
      sleeps.push(ms);
      return new Promise((resolve) => {
        const timer = { at: now + ms, resolve };
        timers.push(timer);
        signal?.addEventListener("abort", () => ((timers = timers.filter((t) => t !== timer)), resolve(false)), { once: true });
      });
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.resolve(true);
    },
  };
}

const record = (n: number): LogRecord => ({ time: 0, level: "INFO", message: `m${n}`, fields: { n } });

/** `total` batches of one record each, acknowledged into `acks`; stays open until stopped. */
const numbers = definePlugin({
  kind: "source",
  name: "numbers",
  description: "test source",
  schema: z.object({ total: z.number(), acks: z.custom<number[]>() }),
  create: (o, ctx) => ({
    async *batches() {
      for (let i = 0; i < o.total && !ctx.signal.aborted; i++) yield { entries: [record(i)], ack: () => void o.acks.push(i) };
      if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    },
  }),
});

interface SinkState {
  got: number[];
  flushed: number;
  /** While true, write throws (a full disk). */
  broken: boolean;
  /** Called at each write with the batch's first number. */
  onWrite?: (n: number) => void;
}

const probe = definePlugin({
  kind: "sink",
  name: "probe",
  description: "test sink",
  schema: z.object({ state: z.custom<SinkState>() }),
  create: ({ state }) => ({
    write(records) {
      if (state.broken) throw new Error("No space left on device");
      for (const r of records) state.got.push(r.fields!.n as number);
      state.onWrite?.(records[0]!.fields!.n as number);
    },
    flush: () => void (state.flushed = state.got.length),
    close() {},
  }),
});

function start(pipeline: Record<string, unknown>, clock: Clock) {
  const resolved = validateConfig({ pipelines: { p: pipeline }, hookTimeout: HOOK_TIMEOUT }, { registry: new Map() });
  assert.ok(resolved.isOk(), JSON.stringify(resolved.isErr() && resolved.error));
  const app = createApp(resolved.value, { runtime, clock, snapshotIntervalMs: 0 });
  const warnings: string[] = [];
  app.bus.on("plugin:error", ({ plugin }) => warnings.push(plugin));
  return { app, warnings };
}

test("a failing sink does not hold up a healthy one: it keeps receiving up to the failing sink's buffer, nothing is acked until both flushed, nothing is lost", async () => {
  const clock = fakeClock();
  const acks: number[] = [];
  const failing: SinkState = { got: [], flushed: 0, broken: true };
  let lead = 0;
  const healthy: SinkState = { got: [], flushed: 0, broken: false, onWrite: () => (lead = Math.max(lead, healthy.got.length - failing.got.length)) };
  const { app, warnings } = start({ sources: [numbers({ total: 40, acks })], sinks: [probe({ state: failing }), probe({ state: healthy })], channel: { capacity: 4 } }, clock);
  assert.ok((await app.start()).isOk());
  await waitFor(() => warnings.length === 1 && clock.pending() === 1, 20_000, "the failing sink to wait in its backoff");
  // The failing sink holds one batch in its write and 4 in its buffer: the healthy one gets all 5.
  await waitFor(() => healthy.got.length === 5, 20_000, "the healthy sink to write while the other one retries");
  assert.equal(healthy.flushed, 5, "the healthy sink flushed what it wrote");
  assert.deepEqual(acks, [], "nothing acknowledged while one sink has not written it");
  failing.broken = false;
  clock.advance(100);
  await waitFor(() => acks.length === 40, 20_000, "every batch to be acknowledged once the disk has space");
  assert.ok((await app.stop()).isOk());
  const all = Array.from({ length: 40 }, (_, i) => i);
  assert.deepEqual(failing.got, all, "the failing sink got everything, in order, once");
  assert.deepEqual(healthy.got, all);
  assert.deepEqual(acks, all, "acknowledged in order, once each");
  assert.ok(lead <= 5, `the healthy sink ran ${lead} batches ahead: the failing sink's buffer is bounded`);
});

test("an ack waits for the slowest sink's flush, batch by batch", async () => {
  const clock = fakeClock();
  const acks: number[] = [];
  const slow: SinkState = { got: [], flushed: 0, broken: false };
  const fast: SinkState = { got: [], flushed: 0, broken: false };
  const checked: string[] = [];
  const source = definePlugin({
    kind: "source",
    name: "checked",
    description: "test source",
    schema: z.object({}),
    create: (_, ctx) => ({
      async *batches() {
        for (let i = 0; i < 30; i++) {
          if (ctx.signal.aborted) return;
          yield {
            entries: [record(i)],
            ack: () => {
              acks.push(i);
              if (slow.flushed <= i || fast.flushed <= i) checked.push(`batch ${i} acked with flushed ${slow.flushed}/${fast.flushed}`);
            },
          };
        }
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      },
    }),
  });
  const { app } = start({ sources: [source()], sinks: [probe({ state: slow }), probe({ state: fast })], channel: { capacity: 2 } }, clock);
  // The slow sink fails every third write once: its backoff is advanced by hand.
  let writes = 0;
  slow.onWrite = () => void (++writes % 3 === 0 && (slow.broken = true));
  assert.ok((await app.start()).isOk());
  for (let round = 0; round < 100 && acks.length < 30; round++) {
    await waitFor(() => acks.length === 30 || clock.pending() > 0, 20_000, "a backoff or the end");
    if (clock.pending() > 0) {
      slow.broken = false;
      clock.advance(5_000);
    }
  }
  assert.ok((await app.stop()).isOk());
  assert.deepEqual(acks, Array.from({ length: 30 }, (_, i) => i));
  assert.ok(writes > 10, `the slow sink failed ${Math.floor(writes / 3)} times`);
  assert.deepEqual(checked, [], "no batch acknowledged before every sink flushed it");
});

test("retry settings are the pipeline's: backoff from initialBackoff doubling to maxBackoff", async () => {
  const clock = fakeClock();
  const acks: number[] = [];
  const state: SinkState = { got: [], flushed: 0, broken: true };
  const { app } = start({ sources: [numbers({ total: 1, acks })], sinks: [probe({ state })], retry: { initialBackoff: "1s", maxBackoff: "3s", attemptsOnStop: 2 } }, clock);
  assert.ok((await app.start()).isOk());
  for (let i = 0; i < 5; i++) {
    await waitFor(() => clock.pending() === 1, 20_000, `backoff ${i + 1}`);
    clock.advance(clock.sleeps.at(-1)!);
  }
  await waitFor(() => clock.pending() === 1, 20_000, "backoff 6");
  assert.deepEqual(clock.sleeps, [1000, 2000, 3000, 3000, 3000, 3000]);
  state.broken = false;
  clock.advance(3000);
  await waitFor(() => acks.length === 1, 20_000, "the record to be written and acknowledged");

  assert.ok((await app.stop()).isOk());
});

/** Nothing until stopped, then one last batch: like a tail source reading the lines it finds at stop. */
const lastWords = definePlugin({
  kind: "source",
  name: "last-words",
  description: "test source",
  schema: z.object({}),
  create: (_, ctx) => ({
    async *batches() {
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      yield { entries: [record(0)] };
    },
  }),
});

test("a sink that starts failing while the pipeline drains gets attemptsOnStop retries, then the pipeline fails", async () => {
  const clock = fakeClock();
  const state: SinkState = { got: [], flushed: 0, broken: true };
  const { app } = start({ sources: [lastWords()], sinks: [probe({ state })], retry: { initialBackoff: "1s", attemptsOnStop: 2 } }, clock);
  assert.ok((await app.start()).isOk());
  const stopped = app.stop();
  // The drain's waits are the stop's own (not cut short): the test advances them.
  for (const ms of [1000, 2000]) {
    await waitFor(() => clock.pending() === 1, 20_000, `the ${ms} ms backoff`);
    clock.advance(ms);
  }
  const result = await stopped;
  assert.ok(result.isErr());
  assert.deepEqual(result.error.map((e) => e.kind), ["sink.write-failed"]);
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  assert.equal(app.pipelines()[0]!.plugins[1]!.counters.errors, 3, "the first attempt and attemptsOnStop (2) retries");
});

test("retry settings are validated: durations, a maxBackoff below initialBackoff, unknown keys", () => {
  const check = (retry: unknown) => {
    const r = validateConfig({ pipelines: { p: { sources: [numbers({ total: 1, acks: [] })], sinks: [probe({ state: { got: [], flushed: 0, broken: false } })], retry } } }, { registry: new Map() });
    return r.isErr() ? r.error.issues.map((i) => `${i.path}: ${i.message}`) : r.value.pipelines[0]!.retry;
  };
  assert.deepEqual(check(undefined), { initialBackoff: 100, maxBackoff: 5000, attemptsOnStop: 5 });
  assert.deepEqual(check({ initialBackoff: "250ms", maxBackoff: "1m", attemptsOnStop: 0 }), { initialBackoff: 250, maxBackoff: 60_000, attemptsOnStop: 0 });
  assert.deepEqual(check({ initialBackoff: "10s", maxBackoff: "1s" }), ["pipelines.p.retry.maxBackoff: maxBackoff must be at least initialBackoff"]);
  assert.deepEqual(check({ initialBackof: "1s" }), ["pipelines.p.retry.initialBackof: unknown setting; did you mean \"initialBackoff\"?"]);
  const bad = check({ attemptsOnStop: -1, maxBackoff: "soon" }) as string[];
  assert.equal(bad.length, 2, bad.join("; "));
});

test("stop during a 5 s backoff returns at once: one last attempt, then the pipeline fails with sink.write-failed", async () => {
  const acks: number[] = [];
  const failing: SinkState = { got: [], flushed: 0, broken: true };
  const healthy: SinkState = { got: [], flushed: 0, broken: false };
  const { app, warnings } = start({ sources: [numbers({ total: 3, acks })], sinks: [probe({ state: healthy }), probe({ state: failing })], retry: { initialBackoff: "5s" } }, systemClock);
  await app.start();
  await waitFor(() => warnings.length === 1 && healthy.got.length === 3, 20_000, "the failing sink to start its 5 s backoff");
  const t0 = systemClock.monotonic();
  const stopped = await app.stop();
  const ms = systemClock.monotonic() - t0;
  assert.ok(ms < 1000, `stop took ${ms.toFixed(0)} ms during a 5 s backoff`);
  assert.ok(stopped.isErr());
  assert.deepEqual(stopped.error.map((e) => e.kind), ["sink.write-failed"]);
  assert.deepEqual(acks, [], "nothing the failing sink did not write is acknowledged");
  assert.equal(app.pipelines()[0]!.plugins[2]!.counters.errors, 2, "the first attempt and the last one at stop");
});
