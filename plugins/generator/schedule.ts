/**
 * The emission plan: when (in ms since the start) event k is due, given the
 * base rate and the burst windows. Times are computed from the start, never
 * by adding intervals, so pacing does not drift: within a segment of constant
 * rate r that began at s with a events accrued, event k is due at s + (k - a) / r.
 */
import type { BurstPlan, BurstWindow } from "./burst.ts";

export class Schedule {
  readonly #perMs: number;
  readonly #plan: BurstPlan | undefined;
  #segStart = 0;
  /** Events accrued (fractional) at the segment start. */
  #segAccrued = 0;
  #segRate: number;
  #segEnd = Infinity;
  /** The window in force or next to come. */
  #window: BurstWindow | undefined;

  /** `rate` is events per second. */
  constructor(rate: number, plan?: BurstPlan) {
    this.#perMs = rate / 1000;
    this.#segRate = this.#perMs;
    this.#plan = plan;
    this.#window = plan?.next();
    this.#segEnd = this.#window?.start ?? Infinity;
  }

  /** Due time of event `k` (0-based); calls must have non-decreasing k. */
  timeOf(k: number): number {
    for (;;) {
      const t = this.#segStart + (k - this.#segAccrued) / this.#segRate;
      if (t < this.#segEnd) return t;
      this.#advance();
    }
  }

  /** The burst window in force at `t`, if any (t non-decreasing). */
  windowAt(t: number): BurstWindow | undefined {
    const w = this.#window;
    return w && t >= w.start && t < w.end ? w : undefined;
  }

  /** Moves to the next segment: into the current window, or out of it to the next. */
  #advance(): void {
    const end = this.#segEnd;
    this.#segAccrued += (end - this.#segStart) * this.#segRate;
    this.#segStart = end;
    const w = this.#window!;
    if (end < w.end && end >= w.start) {
      this.#segRate = this.#perMs * w.multiplier;
      this.#segEnd = w.end;
    } else {
      this.#window = this.#plan!.next();
      this.#segRate = this.#perMs;
      this.#segEnd = this.#window?.start ?? Infinity;
      if (this.#window && this.#window.start <= end) {
        this.#segRate = this.#perMs * this.#window.multiplier;
        this.#segEnd = this.#window.end;
      }
    }
  }
}
