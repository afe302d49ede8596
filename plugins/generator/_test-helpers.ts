/** Test helpers: run generator pipelines in-process with the real runner and sinks. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../../core/app.ts";
import { createBus } from "../../core/bus.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import { validateConfig } from "../../core/config/validate.ts";
import type { LogsimEvents } from "../../core/events.ts";
import { formatError } from "../../core/errors.ts";
import type { PluginSpec } from "../../core/plugin.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { builtinPlugins, rotatingFile } from "../mod.ts";
import { generator, type GeneratorReport } from "./mod.ts";
import type { GeneratorInput } from "./schema.ts";

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "logsim-gen-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface GeneratorRun {
  reports: Map<string, GeneratorReport>;
  events: Array<{ name: keyof LogsimEvents; at: number; payload: unknown }>;
}

/** Starts pipelines `name -> [generator options, sink]` in one app on `clock` (default: the system's); `done` resolves when they have all ended. */
export async function startPipelines(pipelines: Record<string, [GeneratorInput, PluginSpec<"sink">]>, clock: Clock = systemClock): Promise<{ app: App; run: GeneratorRun; done: Promise<GeneratorRun> }> {
  const runtime = await detectRuntime();
  const config = { pipelines: Object.fromEntries(Object.entries(pipelines).map(([name, [options, sink]]) => [name, { sources: [generator(options)], sinks: [sink] }])) };
  const validated = validateConfig(config, { registry: new Map(builtinPlugins.map((p) => [p.name, p])), normalizePath: (p) => p });
  if (validated.isErr()) throw new Error(formatError(validated.error).join("\n"));
  const bus = createBus();
  const run: GeneratorRun = { reports: new Map(), events: [] };
  bus.on("generator:finished", (r) => run.reports.set(r.pipeline, r));
  for (const name of ["generator:burst-started", "generator:burst-ended", "generator:stats"] as const) {
    // Read when emitted, on the clock the generator runs on.
    bus.on(name, (payload) => run.events.push({ name, at: clock.monotonic(), payload }));
  }
  const app = createApp(validated.value, { runtime, bus, clock });
  const started = await app.start();
  if (started.isErr()) throw new Error(formatError(started.error).join("\n"));
  const done = app.finished.then((failures) => {
    if (failures.length) throw new Error(failures.flatMap(formatError).join("\n"));
    return run;
  });
  return { app, run, done };
}

/** Runs pipelines `name -> [generator options, sink]` to completion in one app. */
export async function runPipelines(pipelines: Record<string, [GeneratorInput, PluginSpec<"sink">]>, clock?: Clock): Promise<GeneratorRun> {
  return (await startPipelines(pipelines, clock)).done;
}

/** Runs one generator into `path` (one file: no rotation) and returns its report. */
export async function generateToFile(options: GeneratorInput, path: string, format = "json"): Promise<GeneratorReport> {
  const run = await runPipelines({ gen: [options, rotatingFile({ path, format, maxBytes: 0, backups: 0 })] });
  return run.reports.get("gen")!;
}

/** The lines of a file, without the empty string after the final newline. */
export function readLines(path: string): string[] {
  const lines = readFileSync(path, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A rotated set, oldest first: path.N ... path.1, path. */
export function rotatedFiles(dir: string, base: string): string[] {
  const numbered = readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.`) && /^\d+$/.test(f.slice(base.length + 1)))
    .sort((a, b) => Number(b.slice(base.length + 1)) - Number(a.slice(base.length + 1)));
  return [...numbered, base].map((f) => join(dir, f));
}
