/**
 * Time as plugins see it (`ctx.clock`): wall time for timestamps, monotonic time for pacing.
 *
 * @example
 * const started = ctx.clock.monotonic();
 * if (!(await ctx.clock.sleep(backoffMs, ctx.signal))) return; // aborted: stop now
 * const record = { kind: "record", time: ctx.clock.now(), level: "INFO", message: "retried" };
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds, never jumps back. */
  monotonic(): number;
  /** Resolves after `ms` (any length, Infinity included), or early (with false) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * The longest delay one timer takes: every runtime stores it in a signed 32-bit
 * integer, so a longer one (a "1000h" interval: 3.6e9 ms) overflows and fires at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer functions a clock uses; tests pass fake ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * Calls `fn` once after `ms`, for any `ms`: a delay beyond MAX_TIMER_MS is a chain
 * of shorter timers. Returns the cancel. NaN and negative delays count as 0.
 */
export function setLongTimeout(fn: () => void, ms: number, timers: Timers = globalTimers): () => void {
  let timer: unknown;
  const arm = (left: number) => {
    const step = Math.min(left, MAX_TIMER_MS);
    timer = timers.setTimeout(() => (left > step ? arm(left - step) : fn()), step);
  };
  arm(ms > 0 ? ms : 0);
  return () => timers.clearTimeout(timer);
}

/** A clock on the runtime's time and timers (the fake `timers` are for tests). */
export function createSystemClock(timers: Timers = globalTimers): Clock {
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const onAbort = () => {
          cancel();
          resolve(false);
        };
        const cancel = setLongTimeout(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve(true);
        }, ms, timers);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}

export const systemClock: Clock = createSystemClock();
