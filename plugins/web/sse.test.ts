import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime } from "../../runtime/detect.ts";
import { eventReader, harness, readEvents, rec, waitFor } from "./_testing.ts";
import { sseEvent } from "./sse.ts";

const runtime = await detectRuntime();
type Batch = { records: Array<{ seq: number; pipeline: string; record: Record<string, unknown> }>; skipped: number; lost: number };

test("sseEvent JSON-encodes data so no content can end the frame or start another", () => {
  const frame = sseEvent("records", { message: "a\n\ndata: {\"evil\":1}\r\n\u2028\u2029\u001b[31m" }, 7);
  assert.equal(frame.split("\n\n").length, 2, "exactly one frame terminator, at the end");
  assert.ok(!frame.includes("\r"));
  assert.ok(!frame.includes("\u2028") && !frame.includes("\u2029"));
  const data = frame.split("\n").find((l) => l.startsWith("data: "))!.slice(6);
  assert.deepEqual(JSON.parse(data), { message: "a\n\ndata: {\"evil\":1}\r\n\u2028\u2029\u001b[31m" });
});

test("GET /api/stream sends records tapped after it opened, filtered, with frame breaks kept inside the data", async () => {
  const h = harness(runtime);
  h.push([rec("before the stream")]);
  const response = await h.request("/api/stream?level=WARN");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/event-stream/);
  const hostile = "boom\n\nevent: records\ndata: {\"records\":[],\"forged\":true}\n\n\u2028";
  const reader = eventReader(response.body!);
  await reader.until((e) => e.some((x) => x.event === "hello"));
  h.push([rec("quiet", { level: "INFO" }), rec(hostile, { level: "ERROR" })]);
  const events = await reader.until((e) => e.some((x) => x.event === "records"));
  await reader.close();
  assert.equal(events[0]!.event, "hello");
  const batches = events.filter((e) => e.event === "records").map((e) => JSON.parse(e.data) as Batch);
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]!.records.map((r) => r.record.message), [hostile]);
  assert.ok(!("forged" in batches[0]!));
  await waitFor(() => h.telemetry.streams === 0, "the stream to close");
  h.close();
});

test("a stream resumes after Last-Event-ID, and `from` replays from a sequence number", async () => {
  const h = harness(runtime);
  h.push([rec("one"), rec("two"), rec("three")]);
  const resumed = await h.request("/api/stream", { headers: { "last-event-id": "1" } });
  const events = await readEvents(resumed.body!, (e) => e.some((x) => x.event === "records"));
  const batch = JSON.parse(events.find((e) => e.event === "records")!.data) as Batch;
  assert.deepEqual(batch.records.map((r) => r.record.message), ["two", "three"]);
  assert.equal(events.find((e) => e.event === "records")!.id, "3");
  const from = await h.request("/api/stream?from=3");
  const again = await readEvents(from.body!, (e) => e.some((x) => x.event === "records"));
  assert.deepEqual((JSON.parse(again.find((e) => e.event === "records")!.data) as Batch).records.map((r) => r.record.message), ["three"]);
  h.close();
});

test("at more than streamRate records/s the stream samples the newest and counts what it skipped", async () => {
  const h = harness(runtime, { streamRate: 100 }); // tick 20 ms in the harness: 2 records per tick
  const response = await h.request("/api/stream");
  const reader = eventReader(response.body!);
  await reader.until((e) => e.some((x) => x.event === "hello"));
  // One push: whichever tick reads it sees all 50 at once.
  h.push(Array.from({ length: 50 }, (_, i) => rec(`m${i}`)));
  const events = await reader.until((e) => e.some((x) => x.event === "records"));
  await reader.close();
  const batch = JSON.parse(events.find((e) => e.event === "records")!.data) as Batch;
  assert.deepEqual(batch.records.map((r) => r.record.message), ["m48", "m49"]);
  assert.equal(batch.skipped, 48);
  assert.equal(batch.lost, 0);
  h.close();
});

test("a client that does not read loses the oldest records, counted; the producer never waits", async () => {
  const h = harness(runtime, { buffer: 100 });
  const response = await h.request("/api/stream?from=1");
  assert.equal(h.streams.size, 1, "the stream is open (its client reads nothing yet)");
  const started = performance.now();
  for (let i = 0; i < 50; i++) h.push(Array.from({ length: 100 }, (_, k) => rec(`m${i * 100 + k}`)));
  assert.ok(performance.now() - started < 500, "pushing 5,000 records past a stuck client took under 500 ms");
  const events = await readEvents(response.body!, (e) => e.some((x) => x.event === "records"));
  const batch = JSON.parse(events.find((e) => e.event === "records")!.data) as Batch;
  assert.equal(batch.lost, 4900, "only the last 100 (the ring) were still there");
  assert.equal(h.telemetry.tapDropped, 4900);
  assert.equal(((await (await h.request("/api/metrics")).json()) as { tap: { dropped: number } }).tap.dropped, 4900);
  h.close();
});

test("streams are capped: one more than maxStreams gets 503 with Retry-After, and a closed one frees its slot", async () => {
  const h = harness(runtime, { maxStreams: 2 });
  const a = await h.request("/api/stream");
  const b = await h.request("/api/stream");
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  const c = await h.request("/api/stream");
  assert.equal(c.status, 503);
  assert.equal(c.headers.get("retry-after"), "5");
  await a.body!.cancel();
  await waitFor(() => h.streams.size === 1, "the cancelled stream to free its slot");
  const d = await h.request("/api/stream");
  assert.equal(d.status, 200);
  h.close(); // the service stopping ends every stream
  await waitFor(() => h.streams.size === 0, "every stream to end");
  assert.equal(h.telemetry.streams, 0);
});

test("an idle stream can be closed by the sweeper (lastPull is tracked)", async () => {
  const h = harness(runtime);
  const response = await h.request("/api/stream");
  const [stream] = [...h.streams];
  assert.ok(stream!.lastPull > 0);
  stream!.close();
  const reader = eventReader(response.body!);
  const events = await reader.until(() => false); // returns when the server ends the stream (or fails at the deadline)
  assert.ok(reader.ended);
  assert.deepEqual(events.map((e) => e.event), ["hello"]);
  assert.equal(h.streams.size, 0);
  h.close();
});

test("a stream rejects bad filters and bad `from` with 400", async () => {
  const h = harness(runtime);
  assert.equal((await h.request("/api/stream?level=nope")).status, 400);
  assert.equal((await h.request(`/api/stream?re=${encodeURIComponent("(a)\\1")}`)).status, 400, "a backreference is refused");
  assert.equal((await h.request("/api/stream?from=x")).status, 400);
  assert.equal(h.streams.size, 0);
  h.close();
});
