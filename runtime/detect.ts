/** The Runtime for whichever runtime is executing this code (for tests and embedding). */
import type { Runtime } from "../core/runtime.ts";

export async function detectRuntime(): Promise<Runtime> {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Deno) return (await import("./deno/runtime.ts")).runtime;
  if (g.Bun) return (await import("./bun/runtime.ts")).runtime;
  return (await import("./node/runtime.ts")).runtime;
}
