import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "./fake-clock.ts";

const HOUR = 3_600_000;

test("a sleep ends only when time is advanced to its due time; wall and monotonic time move together", async () => {
  const clock = new FakeClock({ monotonic: 100, now: 1_000_000 });
  let slept: boolean | undefined;
  void clock.sleep(1000).then((v) => (slept = v));
  await clock.advance(999);
  assert.equal(slept, undefined, "not due yet");
  assert.deepEqual([clock.monotonic(), clock.now(), clock.pending], [1099, 1_000_999, 1]);
  await clock.advance(1);
  assert.equal(slept, true);
  assert.deepEqual([clock.monotonic(), clock.now(), clock.pending], [1100, 1_001_000, 0]);
});

test("advance ends due sleeps in due order (ties in call order), each woken at its own time", async () => {
  const clock = new FakeClock();
  const woke: string[] = [];
  const sleep = (name: string, ms: number) => void clock.sleep(ms).then(() => woke.push(`${name}@${clock.monotonic()}`));
  sleep("c", 30);
  sleep("a", 10);
  sleep("b", 10);
  sleep("late", 31);
  await clock.advance(30);
  assert.deepEqual(woke, ["a@10", "b@10", "c@30"]);
  assert.equal(clock.pending, 1);
});

test("a sleep that woken code starts within the span ends in the same advance: a drift-free loop ticks exactly on time", async () => {
  const clock = new FakeClock();
  const ticks: number[] = [];
  const abort = new AbortController();
  const loop = (async () => {
    const start = clock.monotonic();
    for (let k = 1; await clock.sleep(start + k * 250 - clock.monotonic(), abort.signal); k++) ticks.push(clock.monotonic());
  })();
  await clock.advance(1000);
  assert.deepEqual(ticks, [250, 500, 750, 1000]);
  abort.abort();
  await loop;
  assert.equal(clock.pending, 0, "the aborted sleep is gone");
});

test("an abort ends a sleep with false and leaves no sleeper; an aborted signal, zero, negative and NaN sleeps end at once", async () => {
  const clock = new FakeClock();
  const abort = new AbortController();
  const slept = clock.sleep(HOUR, abort.signal);
  assert.equal(clock.pending, 1);
  abort.abort();
  assert.equal(await slept, false);
  assert.equal(clock.pending, 0);
  assert.equal(await clock.sleep(5, abort.signal), false);
  for (const ms of [0, -3, Number.NaN]) assert.equal(await clock.sleep(ms), true, `sleep(${ms})`);
  assert.equal(clock.pending, 0);
  assert.equal(clock.sleepCalls, 5);
  assert.equal(clock.monotonic(), 0, "no time passed");
});

test("1000 h pass at once when advanced (no real timer is involved); an infinite sleep never ends", async () => {
  const clock = new FakeClock();
  let long: boolean | undefined;
  let forever: boolean | undefined;
  void clock.sleep(1000 * HOUR).then((v) => (long = v));
  void clock.sleep(Infinity).then((v) => (forever = v));
  assert.equal(clock.nextDue(), 1000 * HOUR);
  assert.equal(await clock.advanceToNext(), true);
  assert.deepEqual([long, forever, clock.monotonic()], [true, undefined, 1000 * HOUR]);
  await clock.advance(10_000 * HOUR);
  assert.equal(forever, undefined);
  assert.equal(clock.pending, 1);
});

test("advanceLate: sleeps due on the way all end at the new time, in due order, as timers on a busy machine do", async () => {
  const clock = new FakeClock();
  const woke: string[] = [];
  for (const [name, ms] of [["b", 20], ["a", 10], ["later", 80]] as const) void clock.sleep(ms).then(() => woke.push(`${name}@${clock.monotonic()}`));
  await clock.advanceLate(50);
  assert.deepEqual(woke, ["a@50", "b@50"]);
  assert.equal(clock.nextDue(), 30, "a sleep not yet due keeps its time");
  await assert.rejects(clock.advanceLate(-1), RangeError);
});

test("advanceToNext says when nothing is pending; advance refuses negative or NaN spans", async () => {
  const clock = new FakeClock();
  assert.equal(await clock.advanceToNext(), false);
  assert.equal(clock.nextDue(), undefined);
  await assert.rejects(clock.advance(-1), RangeError);
  await assert.rejects(clock.advance(Number.NaN), RangeError);
});
