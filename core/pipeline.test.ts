import assert from "node:assert/strict";
import { test } from "node:test";
import { err, ok } from "neverthrow";
import { z } from "zod";
import { detectRuntime } from "../runtime/detect.ts";
import { createApp } from "./app.ts";
import { systemClock, type Clock } from "./clock.ts";
import { validateConfig } from "./config/validate.ts";
import { definePlugin, type PluginSpec } from "./plugin.ts";
import type { Batch, LogRecord } from "./types.ts";
import { waitFor } from "../tests/_helpers.ts";

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
  schema: z.object({ events: z.custom<string[]>(), got: z.custom<LogRecord[]>(), delayMs: z.number().default(0), hangOnClose: z.boolean().default(false), failWrites: z.number().default(0) }),
  create: (o) => {
    o.events.push("create sink");
    let failures = o.failWrites;
    return {
      async write(records) {
        if (failures-- > 0) throw new Error("disk on fire");
        if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
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

function app(pipeline: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const resolved = validateConfig({ pipelines: { p: pipeline }, ...extra }, { registry: new Map() });
  assert.ok(resolved.isOk(), JSON.stringify(resolved.isErr() && resolved.error));
  return createApp(resolved.value, { runtime });
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
  const a = app({ sources: [counting({ total: 0, forever: true, events })], sinks: [collecting({ events, got, delayMs: 5 })], channel: { capacity: 4 } });
  await a.start();
  await new Promise((r) => setTimeout(r, 300));
  const emitted = a.pipelines()[0]!.plugins[0]!.counters.emitted;
  const written = got.length;
  // In flight: the channel (4) + the sink's buffer (4) + the batch being written (1) + the one the
  // processing loop waits to hand to the full buffer (1) + the one the source is blocked sending (1).
  assert.ok(emitted - written <= 11, `source ran ${emitted - written} records ahead of a slow sink`);
  assert.ok(written > 5, "the sink made progress");
  await a.stop();
  assert.equal(got.length, a.pipelines()[0]!.plugins[0]!.counters.emitted, "stop drains everything the source emitted");
});

test("drop-newest drops when the channel is full and counts every dropped record", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const dropped: number[] = [];
  const a = app({ sources: [counting({ total: 2000, size: 10, events })], sinks: [collecting({ events, got, delayMs: 2 })], channel: { capacity: 2, overflow: "drop-newest" } });
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
          yield { entries: Array.from({ length: 10 }, (_, k) => record(i + k)), ack: () => ackedAt.push({ first: i, written: got.length }) };
        }
      },
    }),
  });
  const a = app({ sources: [source()], sinks: [collecting({ events: [], got, delayMs: 1 })], channel: { capacity: 2, overflow: "drop-newest" } });
  await a.start();
  await a.finished;
  assert.equal(ackedAt.length, 300, "every batch acknowledged once");
  const written = new Set(got.map((r) => r.fields!.n as number));
  for (const { first, written: at } of ackedAt) {
    const before = [...written].filter((n) => n < first).length;
    assert.ok(at >= before, `batch ${first} acked when ${at} records were written, but ${before} accepted before it were to be`);
  }
  assert.ok(a.pipelines()[0]!.plugins[0]!.counters.dropped > 0, "some batches were dropped");
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

test("per-plugin counters are published on the bus as metrics:snapshot while someone listens", async () => {
  const events: string[] = [];
  const a = app({ sources: [counting({ total: 0, forever: true, size: 5, events })], sinks: [collecting({ events, got: [], delayMs: 1 })] });
  const snapshots: Array<{ name: string; counters: { emitted: number } }[]> = [];
  const off = a.bus.on("metrics:snapshot", ({ pipelines }) => snapshots.push(pipelines[0]!.plugins));
  await a.start();
  const deadline = Date.now() + 5000;
  while (snapshots.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  off();
  await a.stop();
  assert.ok(snapshots.length >= 2, "two snapshots within 5 s");
  assert.deepEqual(snapshots[0]!.map((p) => p.name), ["counting", "collecting"]);
  assert.ok(snapshots[1]![1]!.counters.emitted > snapshots[0]![1]!.counters.emitted, "counters move between snapshots");
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

/**
 * A clock for sink backoffs (waits of at most 5 s): they are recorded and end at
 * once, or (with `hold`) only when their signal aborts. Longer waits (the hook timeout) are real.
 */
function recordingClock(hold: boolean): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    ...systemClock,
    sleeps,
    sleep(ms, signal) {
      if (ms > 5000) return systemClock.sleep(ms, signal);
      sleeps.push(ms);
      if (!hold || !signal) return Promise.resolve(true);
      return new Promise((resolve) => (signal.aborted ? resolve(false) : signal.addEventListener("abort", () => resolve(false), { once: true })));
    },
  };
}

function trackedApp(pipeline: Record<string, unknown>, clock: Clock) {
  const resolved = validateConfig({ pipelines: { p: pipeline } }, { registry: new Map() });
  const a = createApp(resolved._unsafeUnwrap(), { runtime, clock });
  const warnings: string[] = [];
  const recovered: Array<{ retries: number }> = [];
  a.bus.on("plugin:error", ({ error }) => warnings.push(error.kind));
  a.bus.on("sink:recovered", (e) => recovered.push({ retries: e.retries }));
  return { a, warnings, recovered };
}

test("while the pipeline runs, a failing sink (a full disk) is waited for, not given up on: reported once, nothing lost, nothing acked before it is written", async () => {
  const events: string[] = [];
  const got: LogRecord[] = [];
  const acks: number[] = [];
  const clock = recordingClock(false);
  // 12 failures: more than sinkRetries (5), which used to fail the pipeline.
  const { a, warnings, recovered } = trackedApp({ sources: [counting({ total: 20, events, acks, linger: true })], sinks: [collecting({ events, got, failWrites: 12 })] }, clock);
  await a.start();
  await waitFor(() => acks.length === 20, 20_000, "every batch to be acknowledged");
  assert.ok((await a.stop()).isOk());
  assert.deepEqual(await a.finished, []);
  assert.deepEqual(got.map((r) => r.fields!.n), Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(warnings, ["sink.write-failed"], "reported once, not per retry");
  assert.deepEqual(recovered, [{ retries: 12 }]);
  assert.deepEqual(clock.sleeps.slice(0, 12), [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000, 5000], "backoff doubles up to 5 s");
  assert.equal(a.pipelines()[0]!.plugins[1]!.counters.errors, 12);
  const firstAck = events.indexOf("ack");
  assert.ok(firstAck > events.indexOf("write"), "nothing acknowledged before it was written");
});

test("stop() ends a failing sink's wait: one last attempt, then the pipeline fails and nothing unwritten is acknowledged", async () => {
  const events: string[] = [];
  const acks: number[] = [];
  const clock = recordingClock(true); // Backoff waits last until stop: stop must end them.
  const { a, warnings } = trackedApp({ sources: [counting({ total: 5, events, acks, linger: true })], sinks: [collecting({ events, got: [], failWrites: 1e9 })] }, clock);
  await a.start();
  await waitFor(() => warnings.length === 1, 20_000, "the sink to fail");
  const stopped = await a.stop();
  assert.ok(stopped.isErr());
  assert.deepEqual(stopped.error.map((e) => e.kind), ["sink.write-failed"]);
  assert.deepEqual(acks, []);
  assert.equal(a.pipelines()[0]!.state, "failed");
  assert.equal(a.pipelines()[0]!.plugins[1]!.counters.errors, 2, "the first attempt and the last one at stop");
});
