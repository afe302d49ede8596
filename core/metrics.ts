/**
 * Per-plugin telemetry (`ctx.counters`), as Vector's components emit it. Plain mutable numbers: cheap on hot paths.
 * The runner counts what passes through a plugin; a plugin adds what only it knows.
 *
 * @example
 * ctx.counters.dropped += rejected.length;
 */
export interface Counters {
  received: number;
  emitted: number;
  dropped: number;
  errors: number;
}

export const createCounters = (): Counters => ({ received: 0, emitted: 0, dropped: 0, errors: 0 });
