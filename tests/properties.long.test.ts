/**
 * The property tests with many runs (npm run test:long): CI runs each with a few hundred random
 * cases, so a bug found once in thousands of runs fails CI now and then; here each file runs in a
 * child test run of this runtime with LOGSIM_PROPERTY_RUNS raised. A failure shows fast-check's
 * seed and path: `LOGSIM_PROPERTY_SEED=... LOGSIM_PROPERTY_PATH=...` replays it (tests/_property.ts).
 * `LOGSIM_PROPERTY_LONG_SCALE=0.1` scales every count here (a quicker look, or a longer hunt).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT, runCli } from "./_helpers.ts";

/** Each file, and its runs here: up to about 5 minutes each on this loaded 2-core machine, as measured; file-writer's cases are slow (0.2 s each on Deno). */
const PROPERTIES: ReadonlyArray<[file: string, runs: number]> = [
  ["plugins/tail/tailer.property.test.ts", 20_000],
  ["plugins/tail/tailer.kill.property.test.ts", 5_000],
  ["plugins/tail/multiline.property.test.ts", 100],
  ["plugins/rotating-file/file-writer.property.test.ts", 1_000],
  ["core/line-block.test.ts", 20_000],
  ["core/line-splitter.test.ts", 20_000],
  ["plugins/redact/redact.test.ts", 20_000],
];
const RUNS_SCALE = Number(process.env.LOGSIM_PROPERTY_LONG_SCALE ?? 1);

/** The command that runs one test file under the current runtime. */
function testCommand(file: string): { cmd: string; args: string[] } {
  const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ["test", "-A", "--quiet", join(ROOT, file)] };
  if (g.Bun) return { cmd: process.execPath, args: ["test", "--timeout", "3600000", `./${file}`] };
  const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  return { cmd: process.execPath, args: ["--conditions=source", "--import", tsx, "--test", join(ROOT, file)] };
}

for (const [file, ciRuns] of PROPERTIES) {
  const runs = Math.max(1, Math.round(ciRuns * RUNS_SCALE));
  test(`${file}: ${runs} runs of each property`, { timeout: 3_600_000 }, async () => {
    // The child's own arguments are the whole command: startCli prepends nothing else with `command`.
    const run = await runCli([], { command: testCommand(file), env: { LOGSIM_PROPERTY_RUNS: String(runs) }, timeoutMs: 3_500_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    // fast-check's report: the seed and path that replay the failure, and the shrunk counterexample.
    const report = output.split("\n").filter((l) => /Property failed|seed:|Counterexample|Error:/.test(l)).slice(0, 12).join("\n");
    assert.equal(run.code, 0, `${file} failed with ${runs} runs:\n${report || output.slice(-3000)}`);
  });
}
