/**
 * Threads started ahead (prestart.ts): handed out first, what they said before anyone listened is
 * replayed, the ones nobody took are ended. Ports here are stand-ins driven by the test, so the
 * order of events is exact; the real threads are in tests/collect-prestart.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Runtime, WorkerPort } from "../runtime.ts";
import { prestartWorkers } from "./prestart.ts";

class StandInPort implements WorkerPort {
  messageHandlers: Array<(message: unknown) => void> = [];
  errorHandlers: Array<(message: string) => void> = [];
  posted: unknown[] = [];
  terminated = false;
  constructor(readonly id: number) {}
  post(message: unknown) {
    this.posted.push(message);
  }
  onMessage(handler: (message: unknown) => void) {
    this.messageHandlers.push(handler);
  }
  onError(handler: (message: string) => void) {
    this.errorHandlers.push(handler);
  }
  terminate() {
    this.terminated = true;
  }
  say(message: unknown) {
    for (const h of this.messageHandlers) h(message);
  }
  fail(message: string) {
    for (const h of this.errorHandlers) h(message);
  }
}

function standInRuntime(): { runtime: Runtime; started: StandInPort[]; stdoutMade: () => number } {
  const started: StandInPort[] = [];
  let made = 0;
  const runtime = {
    name: "stand-in",
    startWorker: () => started[started.push(new StandInPort(started.length)) - 1]!,
    // As the process runtimes: a writer made when first asked for.
    get stdout() {
      made++;
      return { isTTY: false };
    },
  } as unknown as Runtime;
  return { runtime, started, stdoutMade: () => made };
}

test("threads start at once; the pool gets them first, then new ones; what a thread said before anyone listened reaches the handler, in order", () => {
  const { runtime, started } = standInRuntime();
  const workers = prestartWorkers(runtime, 2);
  assert.equal(started.length, 2, "both threads started before anyone asked");
  started[0]!.say("loaded");
  started[0]!.say("preloaded");
  started[1]!.fail("cannot load");

  const first = workers.runtime.startWorker!();
  const heard: unknown[] = [];
  first.onMessage((m) => heard.push(m));
  assert.deepEqual(heard, ["loaded", "preloaded"], "replayed when the handler is set");
  started[0]!.say("ready");
  assert.deepEqual(heard, ["loaded", "preloaded", "ready"], "later messages go straight to it");
  first.post({ type: "setup" });
  assert.deepEqual(started[0]!.posted, [{ type: "setup" }]);

  const second = workers.runtime.startWorker!();
  const errors: string[] = [];
  second.onError((m) => errors.push(m));
  assert.deepEqual(errors, ["cannot load"], "an error before anyone listened is kept too");

  workers.runtime.startWorker!();
  assert.equal(started.length, 3, "past the threads started ahead, new ones start");
  workers.close();
  assert.ok(started.every((p) => !p.terminated), "threads handed out belong to whoever took them");
});

test("close ends the threads nobody took; the derived runtime is the original in everything else", () => {
  const { runtime, started, stdoutMade } = standInRuntime();
  const workers = prestartWorkers(runtime, 3);
  assert.equal(stdoutMade(), 0, "a getter of the runtime stays a getter: stdout is not made by the copy");
  assert.equal(workers.runtime.stdout.isTTY, false);
  assert.equal(stdoutMade(), 1);
  workers.runtime.startWorker!();
  workers.close();
  assert.deepEqual(started.map((p) => p.terminated), [false, true, true]);
  assert.equal(workers.runtime.name, "stand-in");
  assert.equal({ ...workers.runtime }.name, "stand-in", "a spread of it is whole");
  workers.runtime.startWorker!();
  assert.equal(started.length, 4, "after close, asking starts a new thread");
});

test("no threads asked for, or a runtime that cannot start them: the runtime itself, and close does nothing", () => {
  const { runtime, started } = standInRuntime();
  assert.equal(prestartWorkers(runtime, 0).runtime, runtime);
  assert.equal(started.length, 0);
  const bare = { name: "no threads" } as unknown as Runtime;
  const workers = prestartWorkers(bare, 2);
  assert.equal(workers.runtime, bare);
  workers.close();
});
