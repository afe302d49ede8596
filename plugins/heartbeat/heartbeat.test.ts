import assert from "node:assert/strict";
import { test } from "node:test";
import { systemClock, type Clock } from "../../core/clock.ts";
import { FakeClock } from "../../core/fake-clock.ts";
import { createBus } from "../../core/bus.ts";
import { createCounters } from "../../core/metrics.ts";
import type { PluginContext, Source } from "../../core/plugin.ts";
import type { LogRecord } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { waitFor } from "../../tests/_helpers.ts";
import { heartbeat } from "./mod.ts";

const runtime = await detectRuntime();

function context(signal: AbortSignal, clock: Clock = systemClock): PluginContext {
  const app = { pipelines: () => [], config: () => ({}), outputs: () => [] };
  return { id: "t", pipeline: "p", bus: createBus(), runtime, clock, signal, counters: createCounters(), app, log: { info() {}, warn() {} } };
}

async function collect(options: object, signal = new AbortController().signal) {
  const parsed = heartbeat.definition.schema.parse(options);
  const source = await heartbeat.definition.create(parsed, context(signal));
  const records: LogRecord[] = [];
  for await (const batch of source.batches()) records.push(...(batch as LogRecord[]));
  return records;
}

test("emits `count` heartbeats with seq 1..n at the configured level, message and service", async () => {
  const records = await collect({ interval: "1ms", count: 5, level: "warning", message: "alive", service: "svc" });
  assert.deepEqual(records.map((r) => r.fields!.seq), [1, 2, 3, 4, 5]);
  for (const r of records) assert.deepEqual([r.level, r.message, r.service], ["WARN", "alive", "svc"]);
});

/** Starts reading `source` in the background; `records` fills as it yields, `done` is set when it ends. */
function read(source: Source, onRecord: (r: LogRecord) => Promise<void> | void = () => {}) {
  const state = { records: [] as LogRecord[], done: false };
  const reading = (async () => {
    for await (const batch of source.batches()) {
      for (const r of batch as LogRecord[]) {
        state.records.push(r);
        await onRecord(r);
      }
    }
    state.done = true;
  })();
  return { state, reading };
}

async function create(options: object, signal: AbortSignal, clock: Clock) {
  return heartbeat.definition.create(heartbeat.definition.schema.parse(options), context(signal, clock));
}

const HOUR = 3_600_000;

test("paces against the monotonic clock: a tick that takes 10 ms does not push the next 25 ms one back", async () => {
  const clock = new FakeClock();
  const source = await create({ interval: "25ms", count: 20 }, new AbortController().signal, clock);
  const at: number[] = [];
  // Each heartbeat takes 10 ms of the clock to handle; the source must sleep only the 15 ms left.
  const { state, reading } = read(source, async () => (at.push(clock.monotonic()), await clock.advance(10)));
  for (let i = 0; i < 100 && !state.done; i++) {
    await waitFor(() => clock.pending > 0 || state.done, { timeoutMs: 10_000, what: "the next heartbeat's wait" });
    await clock.advanceToNext();
  }
  await reading;
  assert.deepEqual(at, Array.from({ length: 20 }, (_, k) => k * 25));
  assert.deepEqual(state.records.map((r) => r.fields!.uptime_s), at.map((ms) => ms / 1000));
  assert.deepEqual(state.records.map((r) => r.time - state.records[0]!.time), at, "wall times from the same clock");
});

test("stops at once when aborted mid-interval", async () => {
  const clock = new FakeClock();
  const abort = new AbortController();
  const { state, reading } = read(await create({ interval: "10s" }, abort.signal, clock));
  await waitFor(() => clock.pending === 1, { timeoutMs: 10_000, what: "the wait after the first heartbeat" });
  abort.abort();
  await reading;
  assert.equal(state.records.length, 1);
  assert.deepEqual([clock.monotonic(), clock.pending], [0, 0], "no time passed, no wait left");
});

test('interval "1000h" (beyond a 32-bit timer) gives the second heartbeat after exactly 1000 h', async () => {
  const clock = new FakeClock();
  const abort = new AbortController();
  const { state, reading } = read(await create({ interval: "1000h" }, abort.signal, clock));
  await waitFor(() => clock.pending === 1, { timeoutMs: 10_000, what: "the wait after the first heartbeat" });
  await clock.advance(1000 * HOUR - 1);
  assert.equal(state.records.length, 1);
  await clock.advance(1);
  await waitFor(() => state.records.length === 2, { timeoutMs: 10_000, what: "the second heartbeat" });
  assert.equal(state.records[1]!.fields!.uptime_s, 1000 * 3600);
  abort.abort();
  await reading;
});
