import assert from "node:assert/strict";
import { test } from "node:test";
import { callHook } from "./_hooks.ts";
import { createSystemClock, MAX_TIMER_MS, setLongTimeout, systemClock, type Timers } from "./clock.ts";

/** Fake timers: records every delay asked for; `fire()` runs the earliest pending timer. */
function fakeTimers() {
  let now = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const asked: number[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      asked.push(ms);
      pending.set(++nextId, { at: now + ms, fn });
      return nextId;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  const fire = () => {
    const [id, t] = [...pending].sort((a, b) => a[1].at - b[1].at)[0]!;
    pending.delete(id);
    now = t.at;
    t.fn();
  };
  return { timers, asked, pending, fire, now: () => now };
}

const HOUR = 3_600_000;
const tick = () => new Promise((r) => setTimeout(r, 0));

test("sleep of 1000 h chains timers no longer than 2^31-1 ms and resolves only after the whole time", async () => {
  const fake = fakeTimers();
  const clock = createSystemClock(fake.timers);
  let done: boolean | undefined;
  void clock.sleep(1000 * HOUR).then((v) => (done = v));
  for (let i = 0; i < 10 && fake.pending.size > 0; i++) {
    assert.equal(done, undefined, `not resolved at ${fake.now()} ms`);
    fake.fire();
    await tick();
  }
  assert.equal(done, true);
  assert.equal(fake.now(), 1000 * HOUR);
  assert.ok(fake.asked.every((ms) => ms >= 0 && ms <= MAX_TIMER_MS), `delays asked: ${fake.asked.join(", ")}`);
  assert.equal(fake.asked.length, Math.ceil((1000 * HOUR) / MAX_TIMER_MS));
});

test("an abort mid-chain cancels the pending timer and resolves false; short, zero, negative and NaN sleeps take one timer", async () => {
  const fake = fakeTimers();
  const clock = createSystemClock(fake.timers);
  const abort = new AbortController();
  const slept = clock.sleep(1000 * HOUR, abort.signal);
  fake.fire();
  abort.abort();
  assert.equal(await slept, false);
  assert.equal(fake.pending.size, 0, "no timer left behind");
  fake.asked.length = 0;
  for (const ms of [5, 0, -3, Number.NaN]) {
    const s = clock.sleep(ms);
    fake.fire();
    assert.equal(await s, true);
  }
  assert.deepEqual(fake.asked, [5, 0, 0, 0]);
  assert.equal(await clock.sleep(1, abort.signal), false, "an aborted signal resolves false at once");
});

test("setLongTimeout's cancel works on every link of the chain", () => {
  const fake = fakeTimers();
  let fired = 0;
  const cancel = setLongTimeout(() => fired++, 3 * MAX_TIMER_MS, fake.timers);
  fake.fire();
  fake.fire();
  cancel();
  assert.equal(fake.pending.size, 0);
  assert.equal(fired, 0);
});

test("the real clock: a 1000 h sleep does not end within 1 s (an overflowed timer fires at once)", async () => {
  const abort = new AbortController();
  let ended = false;
  const slept = systemClock.sleep(1000 * HOUR, abort.signal).then((v) => ((ended = true), v));
  await systemClock.sleep(1000);
  assert.equal(ended, false);
  abort.abort();
  assert.equal(await slept, false);
});

test("a hook timeout of 1000 h does not time out a hook that takes 20 ms", async () => {
  const result = await callHook({ id: "t", name: "t" }, "start", 1000 * HOUR, () => new Promise((r) => setTimeout(() => r("done"), 20)));
  assert.deepEqual(result.isOk() ? result.value : result.error, "done");
});
