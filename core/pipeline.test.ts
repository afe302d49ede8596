import assert from "node:assert/strict";
import { test } from "node:test";
import { err, ok } from "neverthrow";
import { z } from "zod";
import { detectRuntime } from "../runtime/detect.ts";
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import { FakeClock } from "./fake-clock.ts";
import { validateConfig } from "./config/validate.ts";
import { definePlugin, type PluginSpec } from "./plugin.ts";
import type { Batch, LogRecord } from "./types.ts";
import { nextTurn, waitFor } from "../tests/_helpers.ts";

const runtime = await detectRuntime();
const record = (n: number): LogRecord => ({ time: 0, level: "INFO", message: `m${n}`, fields: { n } });

/** A source of `total` records in batches of `size`, that logs what happened into `events`. */
const counting = definePlugin({
  kind: "source",
  name: "counting",
  description: "test source",
  schema: z.object({ total: z.number(), size: z.number().default(1), events: z.custom<string[]>(), acks: z.custom<number[]>().optional(), forever: z.boolean().default(false), linger: z.boolean().default(false) }),
  create: (o, ctx) => {
    o.events.push("create source");
    return {
      async *batches() {
        for (let i = 0; o.forever || i < o.total; i += o.size) {
          if (ctx.signal.aborted) return;
          const entries = Array.from({ length: o.size }, (_, k) => record(i + k));
          const batch: Batch = { entries, ack: () => (o.acks?.push(i), o.events.push("ack")) };
          yield batch;
        }
        // Like a followed file: the source keeps running after its records, until stopped.
        if (o.linger && !ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      },
      close: () => void o.events.push("close source"),
    };
  },
});

const collecting = definePlugin({
  kind: "sink",
  name: "collecting",
  description: "test sink",
  schema: z.object({
    events: z.custom<string[]>(),
    got: z.custom<LogRecord[]>(),
    /** Awaited before each write: a turnstile the test opens, or `nextTurn` for a sink slower than a source on promise jobs. */
    beforeWrite: z.custom<() => Promise<void>>().optional(),
    hangOnClose: z.boolean().default(false),
    failWrites: z.number().default(0),
    /** Gets the clock reading of every write attempt. */
    attempts: z.custom<number[]>().optional(),
  }),
  create: (o, ctx) => {
    o.events.push("create sink");
    let failures = o.failWrites;
    return {
      async write(records) {
        o.attempts?.push(ctx.clock.monotonic());
        if (failures-- > 0) throw new Error("disk on fire");
        await o.beforeWrite?.();
        o.got.push(...records);
        o.events.push("write");
      },
      flush: () => void o.events.push("flush"),
      close: () => (o.events.push("close sink"), o.hangOnClose ? new Promise<void>(() => {}) : undefined),
    };
  },
});

const dropOdd = definePlugin({
  kind: "transform",
  name: "drop-odd",
  description: "test transform",
  schema: z.object({}),
  create: () => ({ transform: (r) => ((r.fields!.n as number) % 2 ? undefined : r) }),
});

function app(pipeline: Record<string, unknown>, extra: Record<string, unknown> = {}, clock?: Clock) {
  const resolved = validateConfig({ pipelines: { p: pipeline }, ...extra }, { registry: new Map() });
  assert.ok(resolved.isOk(), JSON.stringify(resolved.isErr() && resolved.error));
  return createApp(resolved.value, { runtime, clock });
}

/** A gate for sink writes: `pass` waits until the test `open`s it for that many more writes. */
function turnstile() {
  let allowed = 0;
  const waiting: Array<() => void> = [];
  return {
    pass: (): Promise<void> => (allowed > 0 ? (allowed--, Promise.resolve()) : new Promise((resolve) => waiting.push(resolve))),
    open(n: number) {
      allowed += n;
      while (allowed > 0 && waiting.length > 0) (allowed--, waiting.shift()!());
    },
  };
}

/** Several event-loop turns: time for anything that could still move to move. */
async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

test("sinks start first and close last, exactly once; every record arrives in order", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const a = app({ sources: [counting({ total: 1000, size: 10, events })], sinks: [collecting({ events, got })] });
  assert.ok((await a.start()).isOk());
  assert.deepEqual(await a.finished, []);
  assert.equal(events[0], "create sink");
  assert.equal(events[1], "create source");
  assert.deepEqual(events.slice(-2), ["close source", "close sink"]);
  assert.equal(events.filter((e) => e === "close sink").length, 1);
  assert.deepEqual(got.map((r) => r.fields!.n), Array.from({ length: 1000 }, (_, i) => i));
  const counters = a.pipelines()[0]!.plugins.map((p) => [p.name, p.counters.emitted]);
  assert.deepEqual(counters, [["counting", 1000], ["collecting", 1000]]);
});

test("a slow sink pauses the source (block): the source runs at most the channel's and the sink buffer's worth ahead", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const gate = turnstile();
  const a = app({ sources: [counting({ total: 0, forever: true, events })], sinks: [collecting({ events, got, beforeWrite: gate.pass })], channel: { capacity: 4 } });
  const emitted = () => a.pipelines()[0]!.plugins[0]!.counters.emitted;
  await a.start();
  // In flight while the sink holds a write: that batch (1) + the sink's buffer (4) + the one the processing loop waits to
  // hand to the full buffer (1) + the channel (4) + the one the source is blocked sending (1).
  await waitFor(() => emitted() >= 11, { timeoutMs: 20_000, what: "the source to fill the channel" });
  await settle();
  assert.equal(emitted(), 11, "the source waits for the sink");
  gate.open(10);
  await waitFor(() => got.length === 10, { timeoutMs: 20_000, what: "ten writes" });
  await settle();
  assert.equal(got.length, 10);
  assert.equal(emitted() - got.length, 11, "still the same worth ahead, no more");
  gate.open(Infinity);
  await a.stop();
  assert.equal(got.length, a.pipelines()[0]!.plugins[0]!.counters.emitted, "stop drains everything the source emitted");
});

test("drop-newest drops when the channel is full and counts every dropped record", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const dropped: number[] = [];
  const a = app({ sources: [counting({ total: 2000, size: 10, events })], sinks: [collecting({ events, got, beforeWrite: nextTurn })], channel: { capacity: 2, overflow: "drop-newest" } });
  a.bus.on("records:dropped", ({ count, reason }) => (assert.equal(reason, "channel-full"), dropped.push(count)));
  await a.start();
  await a.finished;
  const source = a.pipelines()[0]!.plugins[0]!.counters;
  assert.ok(source.dropped > 0, "something was dropped");
  assert.equal(source.dropped, dropped.reduce((x, y) => x + y, 0));
  assert.equal(got.length + source.dropped, 2000, "every record is either written or counted as dropped");
});

test("with drop-newest, a dropped batch is acknowledged only after every batch accepted before it", async () => {
  const got: LogRecord[] = [];
  const ackedAt: Array<{ first: number; written: number }> = [];
  const source = definePlugin({
    kind: "source",
    name: "acking",
    description: "test source",
    schema: z.object({}),
    create: () => ({
      async *batches() {
        for (let i = 0; i < 3000; i += 10) {
          // A turn every 20 batches while the sink takes one per write: accepted and dropped batches interleave.
          if (i % 200 === 0) await nextTurn();
          yield { entries: Array.from({ length: 10 }, (_, k) => record(i + k)), ack: () => ackedAt.push({ first: i, written: got.length }) };
        }
      },
    }),
  });
  const a = app({ sources: [source()], sinks: [collecting({ events: [], got, beforeWrite: nextTurn })], channel: { capacity: 2, overflow: "drop-newest" } });
  await a.start();
  await a.finished;
  assert.equal(ackedAt.length, 300, "every batch acknowledged once");
  const written = new Set(got.map((r) => r.fields!.n as number));
  for (const { first, written: at } of ackedAt) {
    const before = [...written].filter((n) => n < first).length;
    assert.ok(at >= before, `batch ${first} acked when ${at} records were written, but ${before} accepted before it were to be`);
  }
  assert.ok(a.pipelines()[0]!.plugins[0]!.counters.dropped > 0, "some batches were dropped");
  assert.ok(got.length > 100, `accepted batches between the dropped ones: ${got.length / 10} written`);
});

test("batches are acknowledged only after the sinks flushed them, and filtered batches are acknowledged too", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const acks: number[] = [];
  const a = app({ sources: [counting({ total: 6, size: 1, events, acks })], transforms: [dropOdd()], sinks: [collecting({ events, got })] });
  await a.start();
  await a.finished;
  assert.deepEqual(acks, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(got.map((r) => r.fields!.n), [0, 2, 4]);
  // Every ack comes after a flush that followed the last write.
  events.forEach((e, i) => {
    if (e !== "ack") return;
    const last = events.slice(0, i).findLast((x) => x === "write" || x === "flush");
    assert.equal(last, "flush", `ack at ${i} before the write was flushed: ${events.join(",")}`);
  });
  assert.deepEqual(a.pipelines()[0]!.plugins[1]!.counters, { received: 6, emitted: 3, dropped: 3, errors: 0 });
});

test("a sink that keeps failing fails the pipeline with a named error and nothing is acknowledged", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const acks: number[] = [];
  const resolved = validateConfig({ pipelines: { p: { sources: [counting({ total: 3, events, acks })], sinks: [collecting({ events, got, failWrites: 100 })] } } }, { registry: new Map() });
  const a = createApp(resolved._unsafeUnwrap(), { runtime });
  const failed: string[] = [];
  a.bus.on("pipeline:failed", ({ error }) => failed.push(error.kind));
  await a.start();
  const errors = await a.finished;
  assert.equal(errors[0]?.kind, "sink.write-failed");
  assert.deepEqual(failed, ["sink.write-failed"]);
  assert.deepEqual(acks, []);
  assert.equal(a.pipelines()[0]!.state, "failed");
});

test("a sink write that fails once is retried and nothing is lost", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const a = app({ sources: [counting({ total: 5, events })], sinks: [collecting({ events, got, failWrites: 1 })] });
  await a.start();
  assert.deepEqual(await a.finished, []);
  assert.equal(got.length, 5);
  assert.equal(a.pipelines()[0]!.plugins[1]!.counters.errors, 1);
});

test("a hook that hangs times out with an error naming the plugin and hook", async () => {
  const events: string[] = [];
  const a = app({ sources: [counting({ total: 1, events })], sinks: [collecting({ events, got: [], hangOnClose: true })] }, { hookTimeout: "200ms" });
  await a.start();
  const errors = await a.finished;
  assert.deepEqual(errors, [{ kind: "plugin.hook-timeout", plugin: "collecting", id: "p.collecting", hook: "close", ms: 200 }]);
});

test("stop() is idempotent and a stopped app's sinks are closed once", async () => {
  const events: string[] = [];
  const a = app({ sources: [counting({ total: 0, forever: true, events })], sinks: [collecting({ events, got: [] })] });
  await a.start();
  const [x, y] = await Promise.all([a.stop(), a.stop()]);
  assert.ok(x.isOk() && y.isOk());
  assert.equal(events.filter((e) => e === "close sink").length, 1);
});

test("per-plugin counters are published on the bus as metrics:snapshot once a second of the app's clock while someone listens", async () => {
  const events: string[] = [];
  const clock = new FakeClock();
  const a = app({ sources: [counting({ total: 0, forever: true, size: 5, events })], sinks: [collecting({ events, got: [], beforeWrite: nextTurn })] }, {}, clock);
  const snapshots: Array<{ at: number; plugins: { name: string; counters: { emitted: number } }[] }> = [];
  const off = a.bus.on("metrics:snapshot", ({ at, pipelines }) => snapshots.push({ at, plugins: pipelines[0]!.plugins }));
  const start = clock.now();
  await a.start();
  await clock.advance(999);
  assert.equal(snapshots.length, 0, "none before a second has passed");
  await clock.advance(1);
  assert.deepEqual(snapshots.map((s) => s.at - start), [1000]);
  assert.deepEqual(snapshots[0]!.plugins.map((p) => p.name), ["counting", "collecting"]);
  const first = snapshots[0]!.plugins[1]!.counters.emitted;
  await waitFor(() => a.pipelines()[0]!.plugins[1]!.counters.emitted > first, { timeoutMs: 20_000, what: "the sink to write more" });
  await clock.advance(1000);
  assert.deepEqual(snapshots.map((s) => s.at - start), [1000, 2000]);
  assert.ok(snapshots[1]!.plugins[1]!.counters.emitted > first, "counters move between snapshots");
  off();
  await clock.advance(5000);
  assert.equal(snapshots.length, 2, "nobody listens: no snapshot");
  await a.stop();
  assert.equal(clock.pending, 0, "the snapshot timer ends with the app");
});

export type { PluginSpec };

/** A source of the given lines as RawLines, in one batch. */
const lines = definePlugin({
  kind: "source",
  name: "lines",
  description: "test source",
  schema: z.object({ texts: z.array(z.string()) }),
  create: (o) => ({
    async *batches() {
      yield { entries: o.texts.map((text, i) => ({ kind: "line" as const, text, origin: { file: "/x.log", offset: i } })) };
    },
  }),
});

/** A decoding parser: `wrap|<time ms>|<content>` gives the content with an envelope. */
const unwrap = definePlugin({
  kind: "parser",
  name: "unwrap",
  description: "test decoding parser",
  schema: z.object({}),
  create: () => ({
    parse: (line) => {
      const [tag, time, content] = line.text.split("|");
      if (tag !== "wrap") return err({ reason: "not wrapped" });
      return ok({ kind: "line" as const, text: content!, origin: line.origin, envelope: { time: Number(time), fields: { stream: "stderr", kept: 1 } } });
    },
  }),
});

/** A parser of `level message` lines with an optional `@time`, whose fields include `kept: 2`. */
const words = definePlugin({
  kind: "parser",
  name: "words",
  description: "test parser",
  schema: z.object({}),
  create: () => ({
    parse: (line) => {
      const m = /^(INFO|ERROR) (?:@(\d+) )?(.*)$/.exec(line.text);
      if (!m) return err({ reason: "not words" });
      return ok({ time: m[2] ? Number(m[2]) : -1, level: m[1] as "INFO", message: m[3]!, fields: { kept: 2 }, origin: line.origin });
    },
  }),
});

test("a decoding parser's content goes to the parsers after it; blank lines are skipped and counted, not errors", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const texts = ["wrap|1000|ERROR boom", "wrap|2000|no parser reads this", "", "   ", "INFO plain", "neither"];
  const a = app({ sources: [lines({ texts })], parsers: [unwrap(), words()], sinks: [collecting({ events, got })], onParseError: "pass" });
  assert.ok((await a.start()).isOk());
  await a.finished;
  await a.stop();
  const seen = got.map((r) => [r.level, r.message, r.time, r.fields]);
  assert.deepEqual(seen, [
    ["ERROR", "boom", -1, { kept: 2, stream: "stderr" }], // the content's own fields win; the envelope fills in the rest
    ["INFO", "no parser reads this", 2000, { stream: "stderr", kept: 1 }], // no later parser: the envelope is the record
    ["INFO", "plain", -1, { kept: 2 }],
    ["INFO", "neither", got[3]!.time, undefined],
  ]);
  assert.deepEqual(got[3]!.tags, ["_parse_error"]);
  const [, unwrapper, wordsParser] = a.pipelines()[0]!.plugins;
  assert.deepEqual(unwrapper!.counters, { received: 6, emitted: 2, dropped: 2, errors: 0 }, "blank lines: dropped by the first parser, never parsed");
  assert.deepEqual(wordsParser!.counters, { received: 4, emitted: 2, dropped: 0, errors: 1 });
});

function trackedApp(pipeline: Record<string, unknown>, clock: Clock) {
  const resolved = validateConfig({ pipelines: { p: pipeline } }, { registry: new Map() });
  const a = createApp(resolved._unsafeUnwrap(), { runtime, clock });
  const warnings: string[] = [];
  const recovered: Array<{ retries: number; ms: number }> = [];
  a.bus.on("plugin:error", ({ error }) => warnings.push(error.kind));
  a.bus.on("sink:recovered", (e) => recovered.push({ retries: e.retries, ms: e.ms }));
  return { a, warnings, recovered };
}

test("while the pipeline runs, a failing sink (a full disk) is waited for, not given up on: reported once, nothing lost, nothing acked before it is written", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const acks: number[] = [];
  const attempts: number[] = [];
  const clock = new FakeClock();
  // 12 failures: more than sinkRetries (5), which used to fail the pipeline.
  const { a, warnings, recovered } = trackedApp({ sources: [counting({ total: 20, events, acks, linger: true })], sinks: [collecting({ events, got, failWrites: 12, attempts })] }, clock);
  await a.start();
  // Time moves only from one pending wait (a backoff, or the metrics second) to the next, so each ends exactly when due.
  for (let i = 0; i < 200 && acks.length < 20; i++) {
    await waitFor(() => clock.pending >= 2 || acks.length === 20, { timeoutMs: 20_000, what: "the sink's next backoff or every ack" });
    if (acks.length < 20) await clock.advanceToNext();
  }
  assert.equal(acks.length, 20, "every batch acknowledged");
  assert.ok((await a.stop()).isOk());
  assert.deepEqual(await a.finished, []);
  assert.deepEqual(got.map((r) => r.fields!.n), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(warnings, ["sink.write-failed"], "reported once, not per retry");
  // Backoff doubles from 100 ms up to 5 s: 100, 200, 400, 800, 1600, 3200, then 5000 six times.
  const waits = attempts.slice(1, 13).map((t, i) => t - attempts[i]!);
  assert.deepEqual(waits, [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000], `attempts at ${attempts.join(", ")} ms`);
  assert.deepEqual(recovered, [{ retries: 12, ms: 36_300 }]);
  assert.equal(a.pipelines()[0]!.plugins[1]!.counters.errors, 12);
  const firstAck = events.indexOf("ack");
  assert.ok(firstAck > events.indexOf("write"), "nothing acknowledged before it was written");
});

test("stop() ends a failing sink's wait: one last attempt, then the pipeline fails and nothing unwritten is acknowledged", async () => {
  const events: string[] = [];
  const acks: number[] = [];
  const clock = new FakeClock(); // Never advanced: the backoff waits last until stop, which must end them.
  const { a, warnings } = trackedApp({ sources: [counting({ total: 5, events, acks, linger: true })], sinks: [collecting({ events, got: [], failWrites: 1e9 })] }, clock);
  await a.start();
  await waitFor(() => warnings.length === 1 && clock.pending >= 2, { timeoutMs: 20_000, what: "the sink to fail and wait" });
  const stopped = await a.stop();
  assert.ok(stopped.isErr());
  assert.deepEqual(stopped.error.map((e) => e.kind), ["sink.write-failed"]);
  assert.deepEqual(acks, []);
  assert.equal(a.pipelines()[0]!.state, "failed");
  assert.equal(a.pipelines()[0]!.plugins[1]!.counters.errors, 2, "the first attempt and the last one at stop");
});

/** A source that yields `good` batches of one record, then throws: a crash in the middle of a run. */
const crashing = definePlugin({
  kind: "source",
  name: "crashing",
  description: "test source",
  schema: z.object({ good: z.number(), acks: z.custom<number[]>() }),
  create: (o) => ({
    async *batches() {
      for (let i = 0; i < o.good; i++) yield { entries: [{ ...record(i), message: `crashing ${i}` }], ack: () => void o.acks.push(i) };
      throw new TypeError("boom in the source");
    },
  }),
});

test("a source that crashes stops the pipeline cleanly (what it read is written and acked) and the pipeline ends failed, naming it", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const acks: number[] = [];
  const a = app({ sources: [crashing({ good: 5, acks }), counting({ total: 0, forever: true, linger: true, events })], sinks: [collecting({ events, got })] });
  assert.ok((await a.start()).isOk());
  const failures = await a.finished;
  assert.equal(failures.length, 1, JSON.stringify(failures));
  assert.match(JSON.stringify(failures[0]), /boom in the source/);
  assert.deepEqual(acks, [0, 1, 2, 3, 4], "every batch read before the crash was acknowledged");
  assert.deepEqual(got.filter((r) => r.message.startsWith("crashing")).map((r) => r.message), [0, 1, 2, 3, 4].map((i) => `crashing ${i}`));
  assert.equal(a.pipelines()[0]!.state, "failed");
  assert.ok(events.includes("close sink"), "the sinks were closed (flushed)");
});
