/**
 * Burst planning: windows of simulated time in which the rate is multiplied.
 * A window starts every `every` (first at `offset`, default one period in),
 * at each of the `at` offsets, or, for `probability`, at a whole second when
 * a roll succeeds (one roll per second outside a burst, not one per event).
 * Windows never overlap: a start that falls inside a window is skipped.
 */
import { Random } from "./random.ts";

export interface BurstOptions {
  multiplier: number;
  durationMs: number;
  everyMs?: number;
  offsetMs?: number;
  probability?: number;
  atMs?: number[];
}

export interface BurstWindow {
  start: number;
  end: number;
  multiplier: number;
}

/** Gives the windows in order; `windowAfter` must be called with non-decreasing times. */
export class BurstPlan {
  readonly #o: BurstOptions;
  readonly #random: Random;
  readonly #at: number[];
  /** The end of the last window given: later windows start at or after it. */
  #cursor = 0;
  /** Last second rolled for `probability`. */
  #rolled = -1;

  constructor(options: BurstOptions, seed: number | string) {
    this.#o = options;
    this.#random = new Random(seed, "bursts");
    this.#at = [...(options.atMs ?? [])].sort((a, b) => a - b);
  }

  /** The next window that ends after `cursor`, or undefined when there are no more. */
  next(): BurstWindow | undefined {
    const cursor = this.#cursor;
    let start = Infinity;
    const { everyMs, offsetMs, probability, durationMs } = this.#o;
    if (everyMs) {
      const first = offsetMs ?? everyMs;
      start = cursor <= first ? first : first + Math.ceil((cursor - first) / everyMs) * everyMs;
    }
    while (this.#at.length > 0 && this.#at[0]! < cursor) this.#at.shift();
    if (this.#at.length > 0) start = Math.min(start, this.#at[0]!);
    if (probability && probability > 0) start = Math.min(start, this.#roll(cursor, start));
    if (start === Infinity) return undefined;
    if (this.#at[0] === start) this.#at.shift();
    this.#cursor = start + durationMs;
    return { start, end: start + durationMs, multiplier: this.#o.multiplier };
  }

  /** Rolls each whole second from `cursor` until a success or until `before`; gives the success's time. */
  #roll(cursor: number, before: number): number {
    const p = this.#o.probability!;
    const limit = Math.min(Math.floor(before / 1000), Math.ceil(cursor / 1000) + 10_000_000);
    for (let s = Math.max(this.#rolled + 1, Math.ceil(cursor / 1000)); s <= limit && s * 1000 < before; s++) {
      this.#rolled = s;
      if (this.#random.chance(p)) return s * 1000;
    }
    return Infinity;
  }
}
