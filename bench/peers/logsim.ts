/**
 * How bench/peers runs logsim on the collect workload: `logsim collect --config
 * bench/workload/logsim.config.ts` (the one workload config, which bench/workload/run.ts runs too)
 * with the paths in the environment, `--workers N` when asked, on Bun and Deno from the sources and
 * on Node from the built bundle (dist/, built here when missing or older than the sources).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { LOGSIM_MAIN, ROOT, runtimeCommand, type JsRuntime } from "./tools.ts";

export interface LogsimRun {
  argv: string[];
  env: Record<string, string>;
}

export interface LogsimPaths {
  input: string;
  output: string;
  stateDir: string;
}

const CONFIG = join(ROOT, "bench/workload/logsim.config.ts");

/** Where the workload config puts the dead letters of `output` (`out.jsonl` -> `out.deadletter.jsonl`). */
export const deadletterOf = (output: string) => output.replace(/\.jsonl$/, "") + ".deadletter.jsonl";

/** The command that collects `input` into `output` (and its dead letters): once, or following. */
export function logsimRun(runtime: JsRuntime, p: LogsimPaths, options: { follow?: boolean; workers?: number } = {}): LogsimRun {
  return {
    argv: [...runtimeCommand(runtime, LOGSIM_MAIN[runtime]), "collect", "--config", CONFIG, "-q", ...(options.workers ? ["--workers", String(options.workers)] : [])],
    env: { WORKLOAD_INPUT: p.input, WORKLOAD_OUTPUT: p.output, WORKLOAD_STATE: p.stateDir, ...(options.follow ? { WORKLOAD_FOLLOW: "1" } : {}) },
  };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (what Node runs) when it is missing or older than core/, plugins/ or runtime/. */
export function ensureNodeBuild(log: (line: string) => void): void {
  const built = LOGSIM_MAIN.node;
  const sources = Math.max(...["core", "plugins", "runtime"].map((d) => newestSource(join(ROOT, d))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log("building dist/ for Node (npm run build)...");
  const result = spawnSync("node", ["--import", "tsx", join(ROOT, "scripts/build.ts")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error("npm run build failed: logsim on Node needs dist/");
}
