/**
 * A clock that moves only when a test says so. Sleeps resolve when `advance`
 * carries time past their deadline, in deadline order, each followed by a turn
 * of the event loop so the code woken can run (and sleep again) before later
 * deadlines fire. Nothing waits in real time.
 */
import type { Clock } from "../core/mod.ts";

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, waking every sleep due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time to the next pending deadline and wakes what is due then; false when nothing sleeps. */
  next(): Promise<boolean>;
  /** How many sleeps are pending. */
  readonly pending: number;
}

interface Sleeper {
  at: number;
  seq: number;
  resolve: (completed: boolean) => void;
}

/** One turn of the event loop: lets resolved promises and the code after them run. */
export const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * @example
 * const clock = createFakeClock({ now: Date.UTC(2026, 0, 1) });
 * const slept = clock.sleep(5_000);
 * await clock.advance(5_000); // `slept` resolves with true, at once
 */
export function createFakeClock(start: { now?: number; monotonic?: number } = {}): FakeClock {
  const wallOffset = (start.now ?? Date.UTC(2026, 0, 1)) - (start.monotonic ?? 0);
  let mono = start.monotonic ?? 0;
  let seq = 0;
  const sleepers: Sleeper[] = [];
  const wake = async (until: number) => {
    for (;;) {
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const due = sleepers[0];
      if (!due || due.at > until) break;
      sleepers.shift();
      mono = Math.max(mono, due.at);
      due.resolve(true);
      await turn();
    }
    mono = Math.max(mono, until);
    await turn();
  };
  return {
    now: () => wallOffset + mono,
    monotonic: () => mono,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const sleeper: Sleeper = { at: mono + (Number.isFinite(ms) ? Math.max(0, ms) : Infinity), seq: seq++, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          "abort",
          () => {
            const i = sleepers.indexOf(sleeper);
            if (i >= 0) sleepers.splice(i, 1);
            resolve(false);
          },
          { once: true },
        );
      });
    },
    advance: (ms) => wake(mono + ms),
    async next() {
      const at = Math.min(...sleepers.map((s) => s.at));
      if (!Number.isFinite(at)) return false;
      await wake(at);
      return true;
    },
    get pending() {
      return sleepers.length;
    },
  };
}
