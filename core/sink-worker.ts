/**
 * One sink's own queue and worker (Vector's and the OpenTelemetry exporters' model):
 * the pipeline hands each sink its batches through a bounded buffer, and the sink
 * writes and flushes them at its own pace. A sink that fails is retried with backoff
 * while the others keep writing; once its buffer is full the pipeline waits for it
 * (block), so the channel fills and the sources pause. Nothing is lost meanwhile.
 *
 * Acknowledgement is by sequence number: a flush request carries the number of the
 * last batch the pipeline handled, and once the sink has flushed everything queued
 * before the request, `flushedThrough` moves to it. The pipeline acknowledges a batch
 * when every worker's `flushedThrough` has passed it (at-least-once).
 */
import type { Bus } from "./bus.ts";
import type { Clock } from "./clock.ts";
import type { RetrySettings } from "./config/validate.ts";
import type { LogsimError } from "./errors.ts";
import type { Counters } from "./metrics.ts";
import { callHook, isPromiseLike, type HookTarget } from "./_hooks.ts";

/** Where a worker writes: a sink, or the pipeline's dead-letter file. */
export interface Outlet<T> {
  readonly target: HookTarget;
  /** The sink's counters (received, emitted, errors); none for the dead-letter file. */
  readonly counters?: Counters;
  write(items: readonly T[]): unknown;
  flush(): unknown;
}

export interface WorkerDeps {
  pipeline: string;
  bus: Bus;
  clock: Clock;
  hookTimeoutMs: number;
  retry: RetrySettings;
  /** Aborted when the pipeline starts stopping: ends backoff waits at once. */
  stopping: AbortSignal;
  /** The pipeline has failed: write nothing more, acknowledge nothing more. */
  failed(): boolean;
  /** Gives up: the pipeline fails with `error`. */
  fail(error: LogsimError): void;
  /** `flushedThrough` moved. */
  flushed(): void;
}

/** How a hook called at once went when it did not simply succeed: it threw, or it returned a promise. */
type Started = { thrown: unknown } | { pending: PromiseLike<unknown> };

type Item<T> = { kind: "write"; items: readonly T[]; started?: Started } | { kind: "flush"; upTo: number };

/** Calls a hook; undefined when it returned synchronously without throwing. */
function callNow(fn: () => unknown): Started | undefined {
  let value: unknown;
  try {
    value = fn();
  } catch (thrown) {
    return { thrown };
  }
  return isPromiseLike(value) ? { pending: value } : undefined;
}

/** A hook whose first call is `started` (replayed), and whose retries call it again. */
function replaying(started: Started, fn: () => unknown): () => unknown {
  let first: Started | undefined = started;
  return () => {
    if (!first) return fn();
    const outcome = first;
    first = undefined;
    if ("thrown" in outcome) throw outcome.thrown;
    return outcome.pending;
  };
}

export class SinkWorker<T> {
  /** Sequence number of the last batch this sink has durably flushed (or had nothing of). */
  flushedThrough = 0;
  /** Resolves when the worker has ended: closed and drained. */
  readonly done: Promise<void>;

  readonly #outlet: Outlet<T>;
  readonly #deps: WorkerDeps;
  readonly #capacity: number;
  #queue: Item<T>[] = [];
  /** Write items in #queue: flush requests do not count against the capacity (they are coalesced). */
  #writes = 0;
  #closed = false;
  #unflushed = false;
  #wakeWorker: (() => void) | undefined;
  #roomWaiters: Array<() => void> = [];

  constructor(outlet: Outlet<T>, capacity: number, deps: WorkerDeps) {
    this.#outlet = outlet;
    this.#capacity = capacity;
    this.#deps = deps;
    this.done = this.#run();
  }

  /**
   * Queues a batch if the buffer has room now; false when it is full. An idle worker (nothing
   * queued, nothing in flight) writes it at once, in the caller's turn: a synchronous sink is done
   * before the source makes its next batch, so the batch's records die young, and the write costs
   * no trip through the queue. A write that throws or returns a promise goes on as if queued.
   */
  offer(items: readonly T[]): boolean {
    if (this.#writes >= this.#capacity && !this.#closed) return false;
    if (this.#closed) return true; // Closed after a failure: nothing more is written.
    let started: Started | undefined;
    if (this.#queue.length === 0 && this.#wakeWorker !== undefined && !this.#deps.failed()) {
      started = this.#writeNow(items);
      if (started === undefined) return true;
    }
    this.#queue.push({ kind: "write", items, started });
    this.#writes++;
    this.#wake();
    return true;
  }

  /** Queues a batch, waiting while the buffer is full (the pipeline's backpressure). */
  async send(items: readonly T[]): Promise<void> {
    while (!this.offer(items)) await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Asks for a flush once what is queued now is written; `upTo` is the pipeline's last handled batch. */
  requestFlush(upTo: number): void {
    if (this.#closed) return;
    const last = this.#queue[this.#queue.length - 1];
    if (last?.kind === "flush") last.upTo = upTo;
    else this.#queue.push({ kind: "flush", upTo });
    this.#wake();
  }

  /** No more items: the worker writes what is queued, then ends. */
  close(): void {
    this.#closed = true;
    this.#wake();
    for (const waiter of this.#roomWaiters.splice(0)) waiter();
  }

  #wake(): void {
    const wake = this.#wakeWorker;
    this.#wakeWorker = undefined;
    wake?.();
  }

  async #next(): Promise<Item<T> | undefined> {
    while (this.#queue.length === 0) {
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => (this.#wakeWorker = resolve));
    }
    const item = this.#queue.shift()!;
    if (item.kind === "write") {
      this.#writes--;
      this.#roomWaiters.shift()?.();
    }
    return item;
  }

  /** Writes now; undefined when that succeeded, else how it went (`#run` finishes it with retries). */
  #writeNow(items: readonly T[]): Started | undefined {
    const outlet = this.#outlet;
    if (outlet.counters) outlet.counters.received += items.length;
    const started = callNow(() => outlet.write(items));
    if (started === undefined) this.#written(items.length);
    return started;
  }

  #written(n: number): void {
    if (this.#outlet.counters) this.#outlet.counters.emitted += n;
    this.#unflushed = true;
  }

  async #run(): Promise<void> {
    const outlet = this.#outlet;
    // Hooks are called at once, and awaited (with the hook timeout and retries) only when they
    // throw or return a promise: a synchronous sink's worker is idle again in the same turn.
    for (let item = await this.#next(); item; item = await this.#next()) {
      if (this.#deps.failed()) continue; // Drained and dropped: unacknowledged, so read again on the next run.
      if (item.kind === "write") {
        const items = item.items;
        const started = item.started ?? this.#writeNow(items);
        if (started === undefined) continue;
        if (!(await this.#attempt("write", replaying(started, () => outlet.write(items))))) continue;
        this.#written(items.length);
        continue;
      }
      if (this.#unflushed) {
        const started = callNow(() => outlet.flush());
        if (started !== undefined && !(await this.#attempt("flush", replaying(started, () => outlet.flush())))) continue;
        this.#unflushed = false;
      }
      this.flushedThrough = item.upTo;
      this.#deps.flushed();
    }
  }

  /**
   * Calls a hook until it succeeds. While the pipeline runs, that takes as long as it
   * takes (a full disk gets space back): backoff doubling from `initialBackoff` up to
   * `maxBackoff`, one `plugin:error` when it starts failing and one `sink:recovered`
   * when it works again. Stopping ends the wait at once: a sink failing when the stop
   * came gets one last attempt; one that starts failing while the pipeline drains,
   * `attemptsOnStop` retries. Then it gives up: the pipeline fails with `sink.write-failed`.
   */
  async #attempt(hook: string, fn: () => unknown): Promise<boolean> {
    const { bus, clock, retry, stopping, pipeline } = this.#deps;
    const target = this.#outlet.target;
    const since = clock.monotonic();
    const stoppingAtFirst = stopping.aborted;
    for (let attempt = 1; ; attempt++) {
      if (this.#deps.failed()) return false;
      const result = await callHook(target, hook, this.#deps.hookTimeoutMs, fn);
      if (result.isOk()) {
        if (attempt > 1) bus.emit("sink:recovered", { pipeline, plugin: target.id, retries: attempt - 1, ms: clock.monotonic() - since });
        return true;
      }
      const stoppingNow = stopping.aborted;
      const giveUp = stoppingNow && (attempt > retry.attemptsOnStop || !stoppingAtFirst);
      const error: LogsimError =
        result.error.kind === "plugin.hook-failed"
          ? { kind: "sink.write-failed", plugin: target.name, id: target.id, message: result.error.message, retryable: !giveUp }
          : result.error;
      if (this.#outlet.counters) this.#outlet.counters.errors++;
      if (giveUp) {
        this.#deps.fail(error);
        return false;
      }
      if (attempt === 1) bus.emit("plugin:error", { pipeline, plugin: target.id, error });
      const backoff = Math.min(retry.initialBackoff * 2 ** (attempt - 1), retry.maxBackoff);
      // Retries during the drain (stop already came) are the stop's own: their waits are not cut short.
      await clock.sleep(backoff, stoppingNow ? undefined : stopping);
    }
  }
}
