import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../../core/fake-clock.ts";
import { PacedSave } from "./paced-save.ts";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A save that takes as long as the test says: `finish()` ends the running one. */
function slowSaves(clock: FakeClock) {
  const starts: number[] = [];
  let running = 0;
  let overlapped = false;
  const finishers: Array<() => void> = [];
  const save = () => {
    starts.push(clock.monotonic());
    if (++running > 1) overlapped = true;
    return new Promise<void>((resolve) => finishers.push(() => (running--, resolve())));
  };
  return { save, starts, finish: () => finishers.shift()?.(), overlapped: () => overlapped };
}

test("the first ack after a quiet spell saves at once; acks of one flush make one save", async () => {
  const clock = new FakeClock({ monotonic: 1000 });
  const s = slowSaves(clock);
  const saves = new PacedSave(s.save, clock, 100);
  saves.request();
  saves.request();
  saves.request();
  await turn();
  assert.deepEqual(s.starts, [1000], "one save, with no wait on the clock");
  s.finish();
  await turn();
  assert.deepEqual(s.starts, [1000], "nothing more was asked for");
});

test("under load saves are paced: at most one per gap, the last at the end of its gap, never two at once", async () => {
  const clock = new FakeClock({ monotonic: 1000 });
  const s = slowSaves(clock);
  const saves = new PacedSave(s.save, clock, 100);
  saves.request();
  await turn();
  s.finish();
  for (let t = 0; t < 250; t += 10) {
    saves.request(); // an ack every 10 ms
    await clock.advance(10);
    s.finish();
  }
  await clock.advance(100);
  s.finish();
  assert.deepEqual(s.starts, [1000, 1100, 1200, 1300], "one save per 100 ms, the last one after the last ack");
  // A save that outlasts the gap: the next waits for it.
  saves.request();
  await clock.advance(500);
  assert.equal(s.starts.length, 5);
  saves.request();
  await clock.advance(500);
  assert.equal(s.starts.length, 5, "not while one is running");
  s.finish();
  await turn();
  assert.equal(s.starts.length, 6, "once it ended (its gap has passed)");
  assert.ok(!s.overlapped());
});

test("an urgent request skips the gap; close waits for the running save and starts no other", async () => {
  const clock = new FakeClock({ monotonic: 1000 });
  const s = slowSaves(clock);
  const saves = new PacedSave(s.save, clock, 100);
  saves.request();
  await turn();
  s.finish();
  saves.request();
  await clock.advance(10);
  saves.request(true);
  await turn();
  assert.deepEqual(s.starts, [1000, 1010], "urgent: no wait for the end of the gap");
  saves.request();
  let closed = false;
  const closing = saves.close().then(() => (closed = true));
  await turn();
  assert.equal(closed, false, "waits for the running save");
  s.finish();
  await closing;
  await clock.advance(1000);
  saves.request();
  await turn();
  assert.deepEqual(s.starts, [1000, 1010], "no save after close");
});
