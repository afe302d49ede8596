/**
 * The collector under test on a chosen runtime, whatever runtime runs the test: the suite's
 * scenarios start `logsim collect` on Bun, Deno or Node explicitly, so that each runner can
 * check the collector of the three (LOGSIM_COLLECTOR_RUNTIME picks one; default: the runner's).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cliCommand, ROOT, startCli } from "./_helpers.ts";

export const RUNTIMES = ["bun", "deno", "node"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/** The runtime running this process. */
export function currentRuntime(): RuntimeName {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  return g.Bun ? "bun" : g.Deno ? "deno" : "node";
}

/** The runtime the collector under test runs on: LOGSIM_COLLECTOR_RUNTIME, or the runner's. */
export function collectorRuntime(): RuntimeName {
  const chosen = process.env.LOGSIM_COLLECTOR_RUNTIME;
  if (chosen === undefined || chosen === "") return currentRuntime();
  if (!(RUNTIMES as readonly string[]).includes(chosen)) throw new Error(`LOGSIM_COLLECTOR_RUNTIME=${chosen}: expected bun, deno or node`);
  return chosen as RuntimeName;
}

const binary = (name: RuntimeName): string => {
  if (name === "node" && currentRuntime() === "node") return process.execPath;
  for (const p of [join(ROOT, "node_modules/.bin", name), join(ROOT, ".tools/node_modules/.bin", name)]) if (existsSync(p)) return p;
  return name;
};

/** The command that starts the logsim CLI on `runtime` (the runner's own: exactly cliCommand()). */
export function cliCommandOn(runtime: RuntimeName): { cmd: string; args: string[] } {
  const own = cliCommand();
  if (runtime === currentRuntime()) return own;
  if (runtime === "deno") return { cmd: binary("deno"), args: ["run", "-A", "--quiet", "--config", join(ROOT, "deno.json"), join(ROOT, "runtime/deno/main.ts")] };
  if (runtime === "bun") return { cmd: binary("bun"), args: [join(ROOT, "runtime/bun/main.ts")] };
  return { cmd: binary("node"), args: ["--conditions=source", "--import", `file://${join(ROOT, "node_modules/tsx/dist/loader.mjs")}`, join(ROOT, "runtime/node/main.ts")] };
}

/** Starts the CLI on `runtime` (startCli with that runtime's command). */
export const startCliOn = (runtime: RuntimeName, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}) => startCli(args, { ...opts, command: cliCommandOn(runtime) });

/** Shell-quoted, for `chaos --run`. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
