/**
 * `collect --workers N` read from the raw arguments, before the command (and its options) load:
 * the CLI starts that many threads at once (runtime/cli.ts). The command parses the flag again and
 * the config's schema says what is wrong with a bad value; here a bad value is just no threads.
 */
import { parseArgs } from "node:util";
import { MAX_WORKERS } from "../../core/parallel/limits.ts";

/**
 * @example
 * workersFlag(["--input", "a.log", "--workers", "2"]); // 2
 * workersFlag(["--explain", "a.log", "-w", "2"]); // 0: explain parses nothing
 */
export function workersFlag(args: readonly string[]): number {
  const { values } = parseArgs({ args: [...args], options: { workers: { type: "string", short: "w" }, explain: { type: "string" } }, strict: false, allowPositionals: true });
  if (values.explain !== undefined || typeof values.workers !== "string" || !/^\s*\d+\s*$/.test(values.workers)) return 0;
  const n = Number(values.workers);
  return n >= 1 && n <= MAX_WORKERS ? n : 0;
}
