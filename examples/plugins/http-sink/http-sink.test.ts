/**
 * The http sink against a real server: Hono on 127.0.0.1 (a free port) that
 * fails the first requests and then accepts. Backoff waits run on a fake
 * clock, so the test never sleeps; requests are real.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { detectRuntime } from "../../../core/host.ts";
import { Hono } from "hono";
import type { LogRecord, Sink } from "../../../core/mod.ts";
import { fakeClock, pluginContext, until, type FakeClock } from "../_testing.ts";
import { backoffDelay, nextWait, retryAfterMs } from "./backoff.ts";
import { http, httpSinkSchema, type HttpSinkOptions } from "./mod.ts";

interface Ingest {
  url: string;
  /** Bodies accepted, each as its records' seq numbers. */
  accepted: number[][];
  requests: number;
  close(): Promise<void>;
}

/** A collector that answers `fail(n)` (a status, and headers) to request n, or 200 and keeps the records. */
async function startIngest(fail: (n: number) => { status: number; headers?: Record<string, string> } | "hang" | undefined = () => undefined): Promise<Ingest> {
  const state: Ingest = { url: "", accepted: [], requests: 0, close: async () => {} };
  const app = new Hono();
  app.post("/ingest", async (c) => {
    const n = ++state.requests;
    const body = await c.req.text();
    const failure = fail(n);
    // Never answers: the client's timeout must end it. (Settled once the client went, as a real server's handler is:
    // Deno's server shutdown waits for every handler.)
    if (failure === "hang") return new Promise<Response>((resolve) => c.req.raw.signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 }))));
    if (failure) return c.text("busy", failure.status as 503, failure.headers);
    const records: Array<{ seq: number }> = c.req.header("content-type") === "application/json" ? JSON.parse(body) : body.trimEnd().split("\n").map((l) => JSON.parse(l));
    state.accepted.push(records.map((r) => r.seq));
    return c.body(null, 204);
  });
  // The runtime's own server (Bun.serve, Deno.serve, node:http), as logsim's web plugin uses: @hono/node-server would
  // replace Bun's global Response for every later test in the same process.
  const server = await (await detectRuntime()).serve(app.fetch, { hostname: "127.0.0.1", port: 0 });
  state.url = `http://127.0.0.1:${server.port}/ingest`;
  state.close = () => server.close();
  return state;
}

const records = (from: number, n: number): LogRecord[] => Array.from({ length: n }, (_, i) => ({ time: Date.UTC(2026, 10, 29), level: "INFO", message: `order ${from + i} paid`, fields: { seq: from + i } }));

/** Backoffs end at once; a request's timeout (5 s by default) waits for advance(), so a slow machine times nothing out. */
const testClock = () => fakeClock((ms) => ms < 5_000);

function makeSink(options: HttpSinkOptions, clock: FakeClock = testClock(), signal = new AbortController().signal) {
  const ctx = pluginContext({ clock, signal });
  return { sink: http.definition.create(httpSinkSchema.parse(options), ctx) as Sink, ctx, clock };
}

test("every record arrives once, in order, in bounded batches, through 503s and a Retry-After", { timeout: 60_000 }, async () => {
  const ingest = await startIngest((n) => (n === 1 ? { status: 503, headers: { "retry-after": "1" } } : n <= 3 ? { status: 503 } : undefined));
  try {
    const { sink, clock, ctx } = makeSink({ url: ingest.url, batch: { maxRecords: 7 } });
    for (let i = 0; i < 10; i++) await sink.write(records(i * 10, 10));
    await sink.flush();
    await sink.close();
    assert.deepEqual(ingest.accepted.flat(), Array.from({ length: 100 }, (_, i) => i), "all 100, in order, none twice");
    assert.ok(ingest.accepted.every((b) => b.length <= 7), `batches of at most 7: ${ingest.accepted.map((b) => b.length)}`);
    assert.equal(ingest.requests, 3 + Math.ceil(100 / 7));
    const backoffs = clock.sleeps.filter((ms) => ms < 5_000); // The others are the requests' timeouts.
    assert.equal(backoffs[0], 1_000, "Retry-After: 1 is honoured");
    assert.ok(backoffs[1]! >= 200 && backoffs[1]! <= 400, `then exponential with jitter: ${backoffs}`);
    assert.equal(ctx.logged.length, 1, "one warning for the batch that needed retries");
  } finally {
    await ingest.close();
  }
});

test("a JSON array per request, and no body over maxBytes", { timeout: 60_000 }, async () => {
  const ingest = await startIngest();
  try {
    const { sink } = makeSink({ url: ingest.url, format: "json", batch: { maxRecords: 1000, maxBytes: 1_000 } });
    await sink.write(records(0, 50));
    await sink.close();
    assert.deepEqual(ingest.accepted.flat(), Array.from({ length: 50 }, (_, i) => i));
    assert.ok(ingest.accepted.length >= 5, "split by size");
  } finally {
    await ingest.close();
  }
});

test("a 400 is not retried; a write that fails takes nothing, and the retried write sends each record once", { timeout: 60_000 }, async () => {
  let broken = true;
  const ingest = await startIngest(() => (broken ? { status: 400 } : undefined));
  try {
    const { sink, clock } = makeSink({ url: ingest.url, batch: { maxRecords: 5 } });
    await sink.write(records(0, 3)); // Buffered: under a batch.
    await sink.write(records(3, 4)); // Taken: the full batch fails to send and stays buffered.
    assert.equal(ingest.requests, 1, "no retry of a 400");
    await assert.rejects(async () => sink.write(records(7, 1)), /400 Bad Request/, "the next write sends what is full first, fails, and takes nothing");
    await assert.rejects(async () => sink.flush(), /400 Bad Request/, "a flush cannot succeed while it fails: nothing is acknowledged");
    assert.deepEqual(clock.sleeps.filter((ms) => ms < 5_000), [], "no backoff for a 400");
    broken = false;
    await sink.write(records(7, 1)); // The pipeline retries the write that failed, with the same records.
    await sink.close();
    assert.deepEqual(ingest.accepted.flat(), [0, 1, 2, 3, 4, 5, 6, 7]);
  } finally {
    await ingest.close();
  }
});

test("retries give up within the budget and the flush throws; flushing again later loses nothing", { timeout: 60_000 }, async () => {
  let down = true;
  const ingest = await startIngest(() => (down ? { status: 502 } : undefined));
  try {
    const { sink, clock } = makeSink({ url: ingest.url, retry: { retries: 10, initialDelay: "1s", maxDelay: "4s", maxElapsed: "8s" } });
    await sink.write(records(0, 3));
    await assert.rejects(async () => sink.flush(), /502 Bad Gateway: busy \(gave up after \d+ attempts in \d+ ms\)/);
    const waited = clock.sleeps.filter((ms) => ms < 5_000).reduce((a, b) => a + b, 0);
    assert.ok(waited <= 8_000 && ingest.requests < 11, `stayed in the 8 s budget: ${waited} ms, ${ingest.requests} requests`);
    down = false;
    await sink.flush();
    assert.deepEqual(ingest.accepted.flat(), [0, 1, 2]);
    await sink.close();
  } finally {
    await ingest.close();
  }
});

test("a request that gets no answer times out on the plugin's clock and is retried", { timeout: 60_000 }, async () => {
  const ingest = await startIngest((n) => (n === 1 ? "hang" : undefined));
  try {
    const clock = fakeClock((ms) => ms < 30_000); // Backoffs end at once; the 30 s request timeout waits for advance().
    const { sink } = makeSink({ url: ingest.url, timeout: "30s", retry: { maxElapsed: "60s" } }, clock);
    await sink.write(records(0, 2));
    const flushed = sink.flush();
    await until("the first request to reach the server", () => ingest.requests === 1 && clock.pending() === 1);
    clock.advance(30_000);
    await flushed;
    assert.deepEqual(ingest.accepted.flat(), [0, 1]);
    assert.equal(ingest.requests, 2);
    await sink.close();
  } finally {
    await ingest.close();
  }
});

test("stopping ends a backoff wait at once", { timeout: 60_000 }, async () => {
  const ingest = await startIngest(() => ({ status: 503, headers: { "retry-after": "5" } }));
  try {
    const stop = new AbortController();
    const clock = fakeClock(() => false); // No wait ends by itself.
    const { sink } = makeSink({ url: ingest.url, timeout: "30s", retry: { maxElapsed: "60s" } }, clock, stop.signal);
    await sink.write(records(0, 1));
    const flushed = sink.flush();
    await until("the backoff after the first 503", () => ingest.requests === 1 && clock.sleeps.includes(5_000));
    stop.abort();
    await assert.rejects(async () => flushed, /stopped while waiting to retry/);
  } finally {
    await ingest.close();
  }
});

test("close is idempotent and refuses writes after it", { timeout: 60_000 }, async () => {
  const ingest = await startIngest();
  try {
    const { sink } = makeSink({ url: ingest.url });
    await sink.write(records(0, 2));
    await Promise.all([sink.close(), sink.close()]);
    await sink.close();
    assert.equal(ingest.requests, 1);
    await assert.rejects(async () => sink.write(records(2, 1)), /closed/);
  } finally {
    await ingest.close();
  }
});

test("backoff: doubles to the cap with jitter; Retry-After in seconds or as a date; gives up at the budget or the count", () => {
  const policy = { retries: 5, initialDelay: 100, maxDelay: 1_000, maxElapsed: 5_000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, () => 1)), [100, 200, 400, 800, 1_000]);
  assert.deepEqual([1, 2, 3].map((a) => backoffDelay(policy, a, () => 0)), [50, 100, 200]);
  assert.equal(retryAfterMs("3", 0), 3_000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(retryAfterMs("soon", 0), undefined);
  assert.deepEqual(nextWait(policy, 6, 0, undefined, () => 1), { giveUp: "after 6 attempts" });
  assert.match((nextWait(policy, 1, 0, 60_000, () => 1) as { giveUp: string }).giveUp, /asked to retry after 60000 ms/);
  assert.deepEqual(nextWait(policy, 1, 0, 2_000, () => 1), { wait: 2_000 });
});

test("options: a URL is required and must be http(s); batch sizes are positive", () => {
  assert.ok(!httpSinkSchema.safeParse({}).success);
  assert.ok(!httpSinkSchema.safeParse({ url: "ftp://x/y" }).success);
  assert.ok(!httpSinkSchema.safeParse({ url: "http://x/y", batch: { maxRecords: 0 } }).success);
  const parsed = httpSinkSchema.parse({ url: "http://x/y", timeout: "2s" });
  assert.equal(parsed.timeout, 2_000);
  assert.equal(parsed.retry.maxElapsed, 8_000);
});
