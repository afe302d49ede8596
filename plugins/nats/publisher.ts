/**
 * Publishes to JetStream with a bounded number of publishes awaiting their ack. A publish that
 * times out or meets a cluster without a stream leader is sent again, with the same message id,
 * until it is acked: JetStream's duplicate window drops the copies that did arrive.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Clock } from "../../core/mod.ts";
import { isRetryable } from "./errors.ts";

export interface Outgoing {
  subject: string;
  data: Uint8Array;
  id: string;
}

export interface PublisherStats {
  /** Publishes sent, first attempts only. */
  published: number;
  acked: number;
  /** Acks that said the id was already in the stream (a re-send JetStream dropped). */
  duplicates: number;
  /** Publishes sent again after a timeout or an error. */
  retried: number;
  /** Messages the server refused for good (handed to `onRejected`). */
  rejected: number;
}

export interface PublisherOptions {
  maxInFlight: number;
  ackTimeout: number;
  clock: Clock;
  /** A message the server will never take (over its max payload...): the caller keeps it elsewhere. */
  onRejected(message: Outgoing, error: unknown): void;
}

const MAX_BACKOFF_MS = 2_000;

export class Publisher {
  readonly stats: PublisherStats = { published: 0, acked: 0, duplicates: 0, retried: 0, rejected: 0 };
  /** Why the last attempt failed, while messages are still waiting; cleared by the next ack. */
  lastError: unknown;
  readonly #js: JetStreamClient;
  readonly #o: PublisherOptions;
  #queue: Outgoing[] = [];
  #head = 0;
  #lanes = 0;
  #inFlight = 0;
  #waiters: Array<() => void> = [];
  readonly #stop = new AbortController();

  constructor(js: JetStreamClient, options: PublisherOptions) {
    this.#js = js;
    this.#o = options;
  }

  /** Messages taken and not yet acked (queued or in flight). */
  get pending(): number {
    return this.#queue.length - this.#head + this.#inFlight;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  enqueue(messages: readonly Outgoing[]): void {
    if (this.#stop.signal.aborted) throw new Error("the NATS publisher is closed");
    for (const m of messages) this.#queue.push(m);
    while (this.#lanes < this.#o.maxInFlight && this.#lanes < this.#queue.length - this.#head) {
      this.#lanes++;
      void this.#lane();
    }
  }

  /** Resolves true once `ready()` holds, false after `ms` (checked at every ack). */
  async waitFor(ready: () => boolean, ms: number): Promise<boolean> {
    if (ready()) return true;
    const deadline = this.#o.clock.monotonic() + ms;
    const timer = new AbortController();
    const timeout = this.#o.clock.sleep(ms, timer.signal);
    try {
      while (!ready()) {
        const next = new Promise<void>((resolve) => this.#waiters.push(resolve));
        await Promise.race([next, timeout]);
        if (!ready() && this.#o.clock.monotonic() >= deadline) return false;
      }
      return true;
    } finally {
      timer.abort();
    }
  }

  /** Stops retrying: messages not acked stay unacked (their batches were never acknowledged). */
  close(): void {
    this.#stop.abort();
    this.#wake();
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  #take(): Outgoing | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const m = this.#queue[this.#head++]!;
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return m;
  }

  async #lane(): Promise<void> {
    try {
      while (!this.#stop.signal.aborted) {
        const m = this.#take();
        if (!m) break;
        this.#inFlight++;
        try {
          await this.#send(m);
        } finally {
          this.#inFlight--;
          this.#wake();
        }
      }
    } finally {
      this.#lanes--;
    }
  }

  async #send(m: Outgoing): Promise<void> {
    this.stats.published++;
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await this.#js.publish(m.subject, m.data, { msgID: m.id, timeout: this.#o.ackTimeout });
        this.stats.acked++;
        if (ack.duplicate) this.stats.duplicates++;
        this.lastError = undefined;
        return;
      } catch (error) {
        if (!isRetryable(error)) {
          this.stats.rejected++;
          this.#o.onRejected(m, error);
          return;
        }
        this.lastError = error;
        if (this.#stop.signal.aborted) {
          this.#queue.push(m); // Kept: counted as pending, so a close reports it.
          return;
        }
        this.stats.retried++;
        // No abort signal here: hundreds of lanes would each add a listener to it. A close lets the
        // lanes end at their next wake-up (at most MAX_BACKOFF_MS).
        await this.#o.clock.sleep(Math.min(50 * 2 ** attempt, MAX_BACKOFF_MS));
        if (this.#stop.signal.aborted) {
          this.#queue.push(m);
          return;
        }
      }
    }
  }
}
