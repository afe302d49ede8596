/**
 * A clock for tests that time only moves when the test says so: `advance(ms)`
 * fires the sleeps that fall due, in order, each at its own time, and lets the
 * code it wakes run before the next; nothing waits in real time. Pass it as the
 * app's `clock` (createApp) or a plugin context's, and pacing, retries and
 * intervals become exact and independent of how loaded the machine is.
 *
 * @example
 * ```ts
 * const clock = new FakeClock();
 * const slept = clock.sleep(1000);
 * await clock.advance(999); // still asleep
 * await clock.advance(1);   // slept resolves true; clock.monotonic() is 1000
 * ```
 */
import { setImmediate } from "node:timers";
import type { Clock } from "./clock.ts";

interface Sleeper {
  due: number;
  order: number;
  wake: () => void;
}

/** One turn of the event loop: every promise job queued so far has run, and ready I/O callbacks. Not a delay. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  #monotonic: number;
  #wall: number;
  #order = 0;
  #sleepers: Sleeper[] = [];
  #sleepCalls = 0;

  /** Starts at `monotonic` (default 0) and wall time `now` (default 2026-01-01T00:00:00Z). */
  constructor(start: { monotonic?: number; now?: number } = {}) {
    this.#monotonic = start.monotonic ?? 0;
    this.#wall = start.now ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  /** Due `ms` from now; a delay of zero or less (or NaN) has elapsed at once, as a timer's would. Infinity never ends. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    this.#sleepCalls++;
    if (signal?.aborted) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#remove(sleeper);
        resolve(false);
      };
      const sleeper: Sleeper = {
        due: this.#monotonic + ms,
        order: this.#order++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(true);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Sleeps not yet ended. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** How many times `sleep` was called, ended or not. */
  get sleepCalls(): number {
    return this.#sleepCalls;
  }

  /** Milliseconds until the earliest pending sleep ends, or undefined when none is pending. */
  nextDue(): number | undefined {
    const next = this.#earliest();
    return next && next.due - this.#monotonic;
  }

  /**
   * Moves time forward by `ms`. Each sleep due on the way ends at its own time
   * (the clock reads its due time when it wakes), in due order, ties in call
   * order; after each, the woken code runs for an event-loop turn, so a sleep it
   * starts that falls within the span ends too.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance(ms) needs a non-negative number of milliseconds, got ${ms}`);
    const target = this.#monotonic + ms;
    for (let next = this.#earliest(); next && next.due <= target; next = this.#earliest()) {
      this.#moveTo(Math.max(next.due, this.#monotonic)); // an overdue sleep (advanceLate) wakes now
      this.#remove(next);
      next.wake();
      await nextTurn();
    }
    this.#moveTo(target);
    await nextTurn();
  }

  /**
   * Moves time forward by `ms` at once, then ends every sleep due by then, all
   * reading the new time: timers that fire late, as on a loaded machine.
   */
  async advanceLate(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advanceLate(ms) needs a non-negative number of milliseconds, got ${ms}`);
    this.#moveTo(this.#monotonic + ms);
    await this.advance(0);
  }

  /** Advances to the earliest pending sleep and ends it (with any due at the same time). False when none is pending. */
  async advanceToNext(): Promise<boolean> {
    const due = this.nextDue();
    if (due === undefined) return false;
    await this.advance(due);
    return true;
  }

  #moveTo(monotonic: number): void {
    this.#wall += monotonic - this.#monotonic;
    this.#monotonic = monotonic;
  }

  #earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) if (!best || s.due < best.due || (s.due === best.due && s.order < best.order)) best = s;
    return best;
  }

  #remove(sleeper: Sleeper): void {
    const i = this.#sleepers.indexOf(sleeper);
    if (i >= 0) this.#sleepers.splice(i, 1);
  }
}
