import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../../core/fake-clock.ts";
import type { Runtime, Signal } from "../../core/runtime.ts";
import { detectRuntime } from "../detect.ts";
import { untilSignal } from "./run.ts";

const base = await detectRuntime();

/** A runtime whose signals the test raises itself. */
function fakeSignals(): { runtime: Runtime; raise: (s: Signal) => void } {
  const handlers = new Map<Signal, Set<() => void>>();
  const runtime: Runtime = {
    ...base,
    onSignal(signal, handler) {
      if (!handlers.has(signal)) handlers.set(signal, new Set());
      handlers.get(signal)!.add(handler);
      return () => void handlers.get(signal)!.delete(handler);
    },
  };
  return { runtime, raise: (s) => handlers.get(s)?.forEach((h) => h()) };
}

test("a signal repeated at once (deno task forwarding the terminal's Ctrl-C) is one stop; a later second one forces the exit", async () => {
  const { runtime, raise } = fakeSignals();
  let forced = 0;
  const clock = new FakeClock();
  const signals = untilSignal(runtime, () => forced++, 100, clock);
  raise("SIGINT");
  await clock.advance(99);
  raise("SIGINT");
  assert.equal(await signals.promise, "SIGINT");
  assert.equal(forced, 0, "the duplicate (99 ms later) did not force an exit");
  await clock.advance(1);
  raise("SIGTERM");
  assert.equal(forced, 1, "a second signal later forces the exit");
  signals.dispose();
  raise("SIGINT");
  assert.equal(forced, 1, "disposed handlers are gone");
});
