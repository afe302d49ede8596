/**
 * How bench/peers runs logsim on the collect workload: the one place to change when the hot-path
 * work's bench/workload/logsim.config.ts and run.ts land. Today: `logsim collect --config
 * bench/peers/logsim.config.ts` with the paths in the environment, `--workers N` when the CLI has
 * the flag, on Bun and Deno from the sources and on Node from the built bundle (dist/, built here
 * when missing or older than the sources).
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

const CONFIG = join(ROOT, "bench/peers/logsim.config.ts");

/** The command that collects `input` into `output` (and `output`.deadletter): once, or following. */
export function logsimRun(runtime: JsRuntime, p: LogsimPaths, options: { follow?: boolean; workers?: number } = {}): LogsimRun {
  return {
    argv: [...runtimeCommand(runtime, LOGSIM_MAIN[runtime]), "collect", "--config", CONFIG, "-q", ...(options.workers ? ["--workers", String(options.workers)] : [])],
    env: { PEERS_IN: p.input, PEERS_OUT: p.output, PEERS_STATE: p.stateDir, ...(options.follow ? { PEERS_FOLLOW: "1" } : {}) },
  };
}

/** Does `logsim collect` take `--workers` (the parallel-parsing work, issue 14)? */
export function hasWorkersFlag(): boolean {
  const help = spawnSync(runtimeCommand("bun", LOGSIM_MAIN.bun)[0]!, [LOGSIM_MAIN.bun, "collect", "--help"], { encoding: "utf8", timeout: 60_000 });
  return `${help.stdout}${help.stderr}`.includes("--workers");
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
