/**
 * The events a generator emits on the bus. They are declared on the author entry's
 * LogsimEvents (declaration merging), the way an outside plugin declares its own, so
 * `bus.on("generator:stats", ...)` is typed wherever this plugin is imported.
 */
import type { GeneratorReport } from "./generator.ts";

declare module "../../core/mod.ts" {
  interface LogsimEvents {
    /** A generator's achieved rate, about once a second. */
    "generator:stats": { pipeline: string; plugin: string; emitted: number; rate: number; targetRate: number; burst: boolean };
    "generator:burst-started": { pipeline: string; plugin: string; multiplier: number; durationMs: number };
    "generator:burst-ended": { pipeline: string; plugin: string };
    /** The generator ended: what it did (see GeneratorReport). */
    "generator:finished": GeneratorReport & { pipeline: string; plugin: string };
  }
}

/** The names of the generator's events. */
export type GeneratorEventName = "generator:stats" | "generator:burst-started" | "generator:burst-ended" | "generator:finished";
