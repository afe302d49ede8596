/**
 * What the example tests add to `logsim/testing`: a fake clock that can end
 * short sleeps at once (a backoff in a test need not be advanced by hand) and
 * records every sleep asked for, and a plugin context around it.
 */
import type { Clock, PluginContext, Runtime } from "../../core/mod.ts";
import { makeTestContext } from "../../testing/mod.ts";

export interface FakeClock extends Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  /** Sleeps waiting for `advance` (those `auto` did not end at once). */
  pending(): number;
  /** Moves time on by `ms`, ending the sleeps due by then. */
  advance(ms: number): void;
}

/**
 * A clock whose time moves only when told. A sleep for which `auto(ms)` is true
 * ends at once, moving time on by its length (a backoff in a test need not be
 * waited for); the others wait for `advance`. Aborting a sleep's signal ends it
 * with false, as the real clock does.
 */
export function fakeClock(auto: (ms: number) => boolean = () => true, start = Date.UTC(2026, 10, 29)): FakeClock {
  let elapsed = 0;
  const sleepers = new Set<{ at: number; end: (done: boolean) => void }>();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => start + elapsed,
    monotonic: () => elapsed,
    pending: () => sleepers.size,
    advance(ms) {
      elapsed += ms;
      for (const s of [...sleepers]) if (s.at <= elapsed) s.end(true);
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.resolve(false);
      if (auto(ms)) {
        elapsed += ms;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const sleeper = {
          at: elapsed + ms,
          end: (done: boolean) => {
            sleepers.delete(sleeper);
            signal?.removeEventListener("abort", onAbort);
            resolve(done);
          },
        };
        const onAbort = () => sleeper.end(false);
        signal?.addEventListener("abort", onAbort, { once: true });
        sleepers.add(sleeper);
      });
    },
  };
}

/** A plugin context for a test (logsim/testing's), with the given clock, signal and runtime, and its log kept in `logged`. */
export function pluginContext(overrides: { clock?: Clock; signal?: AbortSignal; runtime?: Runtime } = {}): PluginContext & { logged: string[] } {
  // The example plugins use no runtime service unless a test passes one.
  const test = makeTestContext({ runtime: overrides.runtime ?? (undefined as never), clock: overrides.clock ?? fakeClock(), ...(overrides.signal ? { signal: overrides.signal } : {}) });
  return Object.assign(test.ctx, { logged: test.logs });
}

/** Polls `check` until it is true; throws after `ms` (real time: for I/O the test does not control). */
export async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
