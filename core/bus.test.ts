import assert from "node:assert/strict";
import { test } from "node:test";
import { createBus } from "./bus.ts";

test("on() returns its unsubscribe, and has() tells whether anyone listens", () => {
  const bus = createBus();
  const seen: string[] = [];
  assert.equal(bus.has("pipeline:started"), false);
  const off = bus.on("pipeline:started", ({ pipeline }) => seen.push(pipeline));
  assert.equal(bus.has("pipeline:started"), true);
  bus.emit("pipeline:started", { pipeline: "a" });
  off();
  bus.emit("pipeline:started", { pipeline: "b" });
  assert.deepEqual(seen, ["a"]);
  assert.equal(bus.has("pipeline:started"), false);
});

test("a throwing listener is reported and does not stop the others or the emitter", () => {
  const errors: unknown[] = [];
  const bus = createBus((error) => errors.push(error));
  let reached = false;
  bus.on("pipeline:stopped", () => {
    throw new Error("boom");
  });
  bus.on("pipeline:stopped", () => (reached = true));
  bus.emit("pipeline:stopped", { pipeline: "x" });
  assert.equal(reached, true);
  assert.equal(errors.length, 1);
});

test("a listener that unsubscribes during emit does not skip the next one", () => {
  const bus = createBus();
  const calls: number[] = [];
  const off = bus.on("pipeline:started", () => (calls.push(1), off()));
  bus.on("pipeline:started", () => calls.push(2));
  bus.emit("pipeline:started", { pipeline: "p" });
  assert.deepEqual(calls, [1, 2]);
});
