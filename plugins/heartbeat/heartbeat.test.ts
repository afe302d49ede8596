import assert from "node:assert/strict";
import { test } from "node:test";
import { systemClock, type Clock } from "../../core/clock.ts";
import { createBus } from "../../core/bus.ts";
import { createCounters } from "../../core/metrics.ts";
import type { PluginContext } from "../../core/plugin.ts";
import type { LogRecord } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
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

test("paces against the monotonic clock: 20 ticks at 25 ms take 475 ms, not more per tick", async () => {
  const start = performance.now();
  const records = await collect({ interval: "25ms", count: 20 });
  const elapsed = performance.now() - start;
  assert.equal(records.length, 20);
  // 19 intervals = 475 ms; timers may fire late, but lateness must not accumulate (drift-free schedule).
  assert.ok(elapsed >= 470 && elapsed < 475 + 150, `took ${elapsed.toFixed(0)} ms`);
});

test("stops promptly when aborted, mid-interval", async () => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  const start = performance.now();
  const records = await collect({ interval: "10s" }, abort.signal);
  assert.equal(records.length, 1);
  assert.ok(performance.now() - start < 1000);
});

test('interval "1000h" (beyond a 32-bit timer) emits the first heartbeat and no second one within 1 s', async () => {
  const abort = new AbortController();
  const parsed = heartbeat.definition.schema.parse({ interval: "1000h" });
  const source = await heartbeat.definition.create(parsed, context(abort.signal));
  const records: LogRecord[] = [];
  const reading = (async () => {
    for await (const batch of source.batches()) records.push(...(batch as LogRecord[]));
  })();
  await systemClock.sleep(1000);
  abort.abort();
  await reading;
  assert.equal(records.length, 1);
});
