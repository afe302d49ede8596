import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../../core/fake-clock.ts";
import { HINT_GAP_MS, Waker } from "./waker.ts";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts a wait and says whether it has ended. */
function waiting(waker: Waker, clock: FakeClock, ms: number) {
  let ended = false;
  const done = waker.wait(ms, clock, new AbortController().signal).then(() => (ended = true));
  return { ended: () => ended, done };
}

test("a read hint ends the wait at once, with no time passing: a line in a quiet moment is read without a fixed delay", async () => {
  const clock = new FakeClock();
  const waker = new Waker();
  const w = waiting(waker, clock, 250);
  await turn();
  assert.equal(w.ended(), false);
  waker.hint("read");
  await w.done;
  assert.equal(clock.monotonic(), 0);
});

test("a scan hint ends the wait HINT_GAP_MS after it (a rotation's renames settle into one scan)", async () => {
  const clock = new FakeClock();
  const waker = new Waker();
  const w = waiting(waker, clock, 250);
  waker.hint("scan");
  await turn();
  await clock.advance(HINT_GAP_MS - 1);
  assert.equal(w.ended(), false);
  assert.equal(waker.scan, true, "the scan is remembered");
  await clock.advance(1);
  await w.done;
});

test("a hint that came before the wait does not end it (no spinning on hints already handled); the wait ends by itself", async () => {
  const clock = new FakeClock();
  const waker = new Waker();
  waker.hint("read");
  const w = waiting(waker, clock, 250);
  await turn();
  assert.equal(w.ended(), false);
  await clock.advance(250);
  await w.done;
});

test("a read hint during a scan hint's gap ends the wait at once", async () => {
  const clock = new FakeClock();
  const waker = new Waker();
  const w = waiting(waker, clock, 250);
  waker.hint("scan");
  await turn();
  assert.equal(w.ended(), false);
  waker.hint("read");
  await w.done;
  assert.equal(clock.monotonic(), 0);
  assert.equal(waker.scan, true, "the scan is still due");
});

test("with reads off (lingering), a read hint does not end the wait, a scan hint still does", async () => {
  const clock = new FakeClock();
  const waker = new Waker();
  const w = waker.wait(100, clock, new AbortController().signal, false).then(() => clock.monotonic());
  waker.hint("read");
  await turn();
  waker.hint("scan");
  await turn();
  await clock.advance(HINT_GAP_MS);
  assert.equal(await w, HINT_GAP_MS);
});
