/**
 * When the tail source saves its positions after acks. A save is atomic (temp file, rename; fsynced
 * too when a sink fsyncs) and blocks the thread: with the fsyncs, 10 ms on average and up to 52 ms
 * on this machine's disk, measured. Once each line is read as soon as it arrives, a trickle makes one
 * ack per line, and a save per ack held up the lines behind it (the follow latency's p99) and cost
 * CPU. So a trickle's saves are paced: the first ack after a quiet spell saves at once, later ones
 * at most one per `gapMs`, the last at the end of its gap (what was acked is saved within about
 * `gapMs`; a kill -9 replays at most that much, at-least-once). An urgent request (a full batch,
 * files that changed) saves in the same run of promise jobs, as every ack did before. Saves never
 * overlap: `save` may return a promise (an off-thread save), and the next one waits for it.
 */
import type { Clock } from "../../core/mod.ts";

/** Least time between the starts of two saves of the positions. */
export const SAVE_GAP_MS = 250;

/** A plain reason: abort() without one builds a DOMException and its stack. */
const CANCELLED = "save rescheduled";

export class PacedSave {
  readonly #save: () => Promise<void>;
  readonly #clock: Clock;
  readonly #gapMs: number;
  #lastStart = -Infinity;
  /** The save running now. */
  #running: Promise<void> | undefined;
  /** A save is due: after the running one, at the end of the gap. */
  #due = false;
  /** The due save skips the gap (a scan changed the files followed). */
  #urgent = false;
  /** The wait for the end of the gap (or for the next promise job); aborted by close(). */
  #timer: AbortController | undefined;
  #closed = false;

  /** `save` must not throw: it reports its own failures. */
  constructor(save: () => Promise<void>, clock: Clock, gapMs = SAVE_GAP_MS) {
    this.#save = save;
    this.#clock = clock;
    this.#gapMs = gapMs;
  }

  /** Something was acked (or, `urgent`, the files followed changed): save soon. */
  request(urgent = false): void {
    if (this.#closed) return;
    this.#due = true;
    if (urgent && !this.#urgent) {
      this.#urgent = true;
      this.#timer?.abort(CANCELLED); // Waiting for the end of a gap: do not.
      this.#timer = undefined;
    }
    this.#schedule();
  }

  /** No more saves start; resolves when the running one has ended (the caller then saves for the last time). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.abort(CANCELLED);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    if (!this.#due || this.#running || this.#timer || this.#closed) return;
    const wait = this.#urgent ? 0 : this.#lastStart + this.#gapMs - this.#clock.monotonic();
    const timer = (this.#timer = new AbortController());
    // Acks of one pipeline flush arrive together, in one run of promise jobs: one save for all of them.
    const ready = wait > 0 ? this.#clock.sleep(wait, timer.signal) : Promise.resolve(!timer.signal.aborted);
    void ready.then((slept) => {
      if (!slept || timer.signal.aborted) return;
      this.#timer = undefined;
      this.#start();
    });
  }

  #start(): void {
    this.#due = false;
    this.#urgent = false;
    this.#lastStart = this.#clock.monotonic();
    this.#running = this.#save().finally(() => {
      this.#running = undefined;
      this.#schedule();
    });
  }
}
