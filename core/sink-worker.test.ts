import assert from "node:assert/strict";
import { test } from "node:test";
import { createBus } from "./bus.ts";
import { FakeClock } from "./fake-clock.ts";
import { createCounters } from "./metrics.ts";
import { SinkWorker, type Outlet } from "./sink-worker.ts";
import { nextTurn } from "../tests/_helpers.ts";

/** A worker over `outlet`, with the bus events it emitted and the error it failed with, if any. */
function workerFor(outlet: Omit<Outlet<number>, "target" | "counters">) {
  const bus = createBus();
  const clock = new FakeClock();
  const events: string[] = [];
  bus.on("plugin:error", () => events.push("plugin:error"));
  bus.on("sink:recovered", (e) => events.push(`sink:recovered after ${e.retries}`));
  const counters = createCounters();
  const stopping = new AbortController();
  const failures: string[] = [];
  const worker = new SinkWorker<number>({ ...outlet, target: { id: "out", name: "test-sink" }, counters }, 1, {
    pipeline: "p",
    bus,
    clock,
    hookTimeoutMs: 1000,
    retry: { initialBackoff: 100, maxBackoff: 1000, attemptsOnStop: 1 },
    stopping: stopping.signal,
    failed: () => failures.length > 0,
    fail: (error) => void failures.push(error.kind),
    flushed: () => {},
  });
  return { worker, clock, events, counters, failures };
}

/** Lets the worker's promise jobs run: it is idle (waiting for work) after this. */
const settle = nextTurn;

test("an idle worker writes a batch in the caller's turn: a synchronous sink is done before offer returns", async () => {
  const written: number[][] = [];
  const { worker, counters } = workerFor({ write: (items) => void written.push([...items]), flush: () => {} });
  await settle();
  assert.equal(worker.offer([1, 2]), true);
  assert.deepEqual(written, [[1, 2]], "written before offer returned");
  assert.equal(worker.offer([3]), true);
  assert.deepEqual(written, [[1, 2], [3]]);
  assert.deepEqual({ received: counters.received, emitted: counters.emitted }, { received: 3, emitted: 3 });
  worker.requestFlush(2);
  worker.close();
  await worker.done;
  assert.equal(worker.flushedThrough, 2);
});

test("a write that throws in offer is retried by the worker (once written, not twice), with one error and one recovery", async () => {
  const calls: number[][] = [];
  const { worker, clock, events, counters, failures } = workerFor({
    write: (items) => {
      calls.push([...items]);
      if (calls.length === 1) throw new Error("disk full");
    },
    flush: () => {},
  });
  await settle();
  worker.offer([7]);
  assert.equal(calls.length, 1, "the first attempt was made at once");
  await settle();
  assert.deepEqual(events, ["plugin:error"]);
  await clock.advance(100);
  await settle();
  assert.deepEqual(calls, [[7], [7]], "retried once after the backoff");
  assert.deepEqual(events, ["plugin:error", "sink:recovered after 1"]);
  assert.deepEqual({ received: counters.received, emitted: counters.emitted, errors: counters.errors }, { received: 1, emitted: 1, errors: 1 });
  worker.close();
  await worker.done;
  assert.deepEqual(failures, []);
});

test("a write that returns a promise in offer is awaited by the worker, not made again; the next batch waits for it", async () => {
  const calls: number[][] = [];
  let finish = () => {};
  const { worker, counters } = workerFor({
    write: (items) => {
      calls.push([...items]);
      return calls.length === 1 ? new Promise<void>((resolve) => (finish = resolve)) : undefined;
    },
    flush: () => {},
  });
  await settle();
  worker.offer([1]);
  const second = worker.send([2]);
  await settle();
  assert.deepEqual(calls, [[1]], "the second batch waits while the first write is in flight");
  assert.equal(counters.emitted, 0);
  finish();
  await second;
  await settle();
  assert.deepEqual(calls, [[1], [2]]);
  assert.deepEqual({ received: counters.received, emitted: counters.emitted }, { received: 2, emitted: 2 });
  worker.close();
  await worker.done;
});
