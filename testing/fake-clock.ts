/**
 * The fake clock of the test kit: core's FakeClock (time moves only when a test
 * says so), and a factory for it.
 */
import { setImmediate } from "node:timers";
import { FakeClock } from "../core/fake-clock.ts";

export { FakeClock };

/** One turn of the event loop: lets resolved promises and the code after them run. Not a delay. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * @example
 * const clock = createFakeClock({ now: Date.UTC(2026, 0, 1) });
 * const slept = clock.sleep(5_000);
 * await clock.advance(5_000); // `slept` resolves with true, at once
 */
export function createFakeClock(start: { now?: number; monotonic?: number } = {}): FakeClock {
  return new FakeClock(start);
}
