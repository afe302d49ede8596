/** Per-plugin telemetry, as Vector's components emit it. Plain mutable numbers: cheap on hot paths. */
export interface Counters {
  received: number;
  emitted: number;
  dropped: number;
  errors: number;
}

export const createCounters = (): Counters => ({ received: 0, emitted: 0, dropped: 0, errors: 0 });
