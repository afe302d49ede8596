/** Runs test files in a child process under the runtime running this test (bun test, deno test or node --test). */
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { ROOT } from "./_helpers.ts";

export interface TestRun {
  status: number | null;
  output: string;
  /** How many tests passed, from the runner's summary (NaN when it printed none). */
  passed: number;
}

export function runTestFiles(files: readonly string[]): TestRun {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  const args = g.Bun ? ["test", "--timeout", "60000", ...files.map((f) => `./${relative(ROOT, f)}`)] : g.Deno ? ["test", "-A", "--quiet", ...files] : ["--conditions=source", "--import", "tsx", "--test", ...files];
  // NODE_TEST_CONTEXT, inherited from this test's runner, would make a child `node --test` skip its files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 240_000, env: { ...env, NO_COLOR: "1" } });
  const output = `${run.stdout}\n${run.stderr}`;
  const passed = Number(/(?:^|\n)\s*(\d+) pass\b/.exec(output)?.[1] ?? /# pass (\d+)/.exec(output)?.[1] ?? /\| (\d+) passed/.exec(output)?.[1]);
  return { status: run.status, output, passed };
}
