import assert from "node:assert/strict";
import { test } from "node:test";
import { EncodedRecords } from "./encoded.ts";

/** A promise with its resolve and reject at hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (cause: Error) => void } {
  let resolve!: () => void;
  let reject!: (cause: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test("the bytes are taken back once a write returns; a write that threw is retried with them first", () => {
  let back = 0;
  const items = new EncodedRecords(new Uint8Array([1, 2, 3]), 3, () => back++);
  assert.throws(() =>
    items.lend(() => {
      throw new Error("disk full");
    }),
  );
  assert.equal(back, 0);
  const seen: number[][] = [];
  items.lend((bytes, count) => void seen.push([...bytes, count]));
  assert.deepEqual(seen, [[1, 2, 3, 3]]);
  assert.equal(back, 1);
});

test("an async write gives them back when it resolves, not when it rejects (the rejection still reaches the caller)", async () => {
  let back = 0;
  const items = new EncodedRecords(new Uint8Array([7]), 1, () => back++);
  const failing = deferred();
  const first = items.lend(() => failing.promise) as Promise<void>;
  failing.reject(new Error("EIO"));
  await assert.rejects(first, /EIO/);
  assert.equal(back, 0);
  const ok = deferred();
  const second = items.lend(() => ok.promise) as Promise<void>;
  await Promise.resolve();
  assert.equal(back, 0, "not while the write runs");
  ok.resolve();
  await second;
  assert.equal(back, 1);
});

test("a write that outlived its timeout and its retry: the bytes go back once, after both", async () => {
  let back = 0;
  const items = new EncodedRecords(new Uint8Array([9]), 1, () => back++);
  const slow = deferred();
  const retry = deferred();
  const first = items.lend(() => slow.promise) as Promise<void>;
  const second = items.lend(() => retry.promise) as Promise<void>;
  retry.resolve();
  await second;
  assert.equal(back, 0, "the first call may still read them");
  slow.resolve();
  await first;
  assert.equal(back, 1);
  await (items.lend(() => Promise.resolve()) as Promise<void>);
  assert.equal(back, 1, "taken back once");
});

test("a thenable that is not a Promise counts as a write still running until it resolves", async () => {
  let back = 0;
  const items = new EncodedRecords(new Uint8Array([5]), 1, () => back++);
  const inner = deferred();
  const result = items.lend(() => ({ then: (resolve: () => void, reject: (e: unknown) => void) => inner.promise.then(resolve, reject) })) as Promise<void>;
  assert.equal(back, 0);
  inner.resolve();
  await result;
  assert.equal(back, 1);
});

test("without a taker the write's result passes through untouched", () => {
  const items = new EncodedRecords(new Uint8Array([1]), 1);
  assert.equal(items.lend(() => "as written"), "as written");
});
