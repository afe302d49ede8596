/**
 * Threads started before anyone asks for them: a command that knows it will parse in N threads
 * (`collect --workers N`) starts them before it loads the config, so that each thread loads its
 * modules while this one loads the config and builds the plugins. A pool that starts threads then
 * gets these first. What a thread says before it is handed out is kept for whoever takes it.
 */
import type { Runtime, WorkerPort } from "../runtime.ts";

export interface PrestartedWorkers {
  /** The runtime whose `startWorker` hands out the threads started here first, then starts new ones. */
  readonly runtime: Runtime;
  /** Ends the threads nobody took (a pipeline that stayed on one thread, a config that did not load). */
  close(): void;
}

/**
 * Starts `count` worker threads now (none when the runtime cannot start threads).
 *
 * @example
 * const workers = prestartWorkers(runtime, 2);
 * try { await runCollector(workers.runtime); } finally { workers.close(); }
 */
export function prestartWorkers(runtime: Runtime, count: number): PrestartedWorkers {
  const start = runtime.startWorker;
  const waiting: WorkerPort[] = [];
  if (start) {
    try {
      for (let i = 0; i < count; i++) waiting.push(buffered(start.call(runtime)));
    } catch {
      // A thread that cannot start now is started (and its failure reported) when a pool asks for it.
    }
  }
  if (waiting.length === 0) return { runtime, close() {} };
  // A copy of the runtime's own properties, getters as getters (stdout is made when first written), so
  // that a spread of it (`{ ...runtime, cwd }`) is whole, as a spread of the original is.
  const derived = Object.create(Object.getPrototypeOf(runtime), Object.getOwnPropertyDescriptors(runtime)) as Runtime;
  derived.startWorker = () => waiting.shift() ?? start!.call(runtime);
  return { runtime: derived, close: () => waiting.splice(0).forEach((port) => port.terminate()) };
}

/** A port that keeps the messages and errors that arrive before a handler is set, and replays them to it. */
function buffered(port: WorkerPort): WorkerPort {
  const messages: unknown[] = [];
  const errors: string[] = [];
  let onMessage: ((message: unknown) => void) | undefined;
  let onError: ((message: string) => void) | undefined;
  port.onMessage((message) => (onMessage ? onMessage(message) : void messages.push(message)));
  port.onError((message) => (onError ? onError(message) : void errors.push(message)));
  return {
    post: (message, transfer) => port.post(message, transfer),
    onMessage(handler) {
      onMessage = handler;
      for (const message of messages.splice(0)) handler(message);
    },
    onError(handler) {
      onError = handler;
      for (const message of errors.splice(0)) handler(message);
    },
    terminate: () => port.terminate(),
  };
}
