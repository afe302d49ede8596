import assert from "node:assert/strict";
import { test } from "node:test";
import { nextTurn } from "../tests/_helpers.ts";
import { Channel } from "./channel.ts";

test("channel delivers in FIFO order and ends with undefined once closed and drained", async () => {
  const ch = new Channel<number>(4);
  for (let i = 0; i < 3; i++) assert.equal(await ch.send(i), true);
  ch.close();
  assert.equal(await ch.send(99), false, "send after close is refused");
  assert.deepEqual([await ch.receive(), await ch.receive(), await ch.receive(), await ch.receive()], [0, 1, 2, undefined]);
});

test("a full channel makes send wait until a receive makes room (backpressure)", async () => {
  const ch = new Channel<number>(2);
  await ch.send(1);
  await ch.send(2);
  let third = false;
  const pending = ch.send(3).then(() => (third = true));
  // Promise jobs alone move a channel: after a few event-loop turns, anything that could run has run.
  for (let i = 0; i < 3; i++) await nextTurn();
  assert.equal(third, false, "third send waits while full");
  assert.equal(ch.trySend(4), false, "trySend refuses when full (drop-newest)");
  assert.equal(await ch.receive(), 1);
  await pending;
  assert.equal(third, true);
  assert.deepEqual([ch.tryReceive(), ch.tryReceive(), ch.tryReceive()], [2, 3, undefined]);
});

test("a waiting receiver gets the next item directly, and close wakes waiting receivers and senders", async () => {
  const ch = new Channel<string>(1);
  const got = ch.receive();
  assert.equal(ch.trySend("a"), true);
  assert.equal(await got, "a");
  const waiting = ch.receive();
  ch.close();
  assert.equal(await waiting, undefined);
  const full = new Channel<number>(1);
  await full.send(1);
  const blocked = full.send(2);
  full.close();
  assert.equal(await blocked, false);
});

test("many items through a small channel keep order", async () => {
  const ch = new Channel<number>(3);
  const producer = (async () => {
    for (let i = 0; i < 5000; i++) await ch.send(i);
    ch.close();
  })();
  let expected = 0;
  for (let v = await ch.receive(); v !== undefined; v = await ch.receive()) assert.equal(v, expected++);
  await producer;
  assert.equal(expected, 5000);
});

test("capacity must be a positive integer", () => {
  assert.throws(() => new Channel(0), RangeError);
});
