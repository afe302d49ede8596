/**
 * The lines chaos writes: the generator's events (seeded; each carries the
 * generator id and its `seq`), formatted as `generate` formats them. The
 * generator runs unpaced and is pulled one batch at a time, so it makes lines
 * only as fast as chaos writes them; chaos does the pacing.
 */
import { createBus } from "../../../core/bus.ts";
import { systemClock } from "../../../core/clock.ts";
import { BUILTIN_LINE_FORMATS } from "../../../core/line-format.ts";
import { createCounters } from "../../../core/metrics.ts";
import type { PluginContext } from "../../../core/plugin.ts";
import type { Runtime } from "../../../core/runtime.ts";
import type { LogRecord } from "../../../core/types.ts";
import { createGenerator } from "../../../plugins/generator/generator.ts";
import { generatorSchema } from "../../../plugins/generator/mod.ts";

/** Formats whose lines keep the generator id and seq where `verify` finds them (JSON fields, `seq=N` pairs). */
export const CHAOS_FORMATS = ["json", "logfmt", "text"] as const;
export type ChaosFormat = (typeof CHAOS_FORMATS)[number];

export interface LineSourceOptions {
  id: string;
  seed: number | string;
  count: number;
  format: ChaosFormat;
  runtime: Runtime;
}

/** Line k (1-based) of the run, without its newline, in order; ends after `count`. */
export async function* generatedLines(o: LineSourceOptions): AsyncGenerator<string> {
  const abort = new AbortController();
  const ctx: PluginContext = {
    id: o.id,
    pipeline: "chaos",
    bus: createBus(),
    runtime: o.runtime,
    clock: systemClock,
    signal: abort.signal,
    counters: createCounters(),
    log: { info: () => {}, warn: () => {} },
    app: { pipelines: () => [], config: () => ({}), writes: () => [] } as unknown as PluginContext["app"],
  };
  const source = createGenerator(generatorSchema.parse({ id: o.id, seed: o.seed, count: o.count, batchSize: 64 }), ctx);
  const format = BUILTIN_LINE_FORMATS[o.format]();
  try {
    // The generator yields plain arrays of records (not envelopes or raw lines).
    for await (const batch of source.batches()) for (const record of batch as LogRecord[]) yield format.format(record);
  } finally {
    abort.abort();
  }
}
