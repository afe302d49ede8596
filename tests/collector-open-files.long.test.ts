/** Thousands of files with a low open-file limit: 2,500 and 5,000 files with `ulimit -n 256`. */
import { test } from "node:test";
import { openFilesScenario } from "./_scenario-open-files.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("2,500 files with ulimit -n 256: verify finds every line once, state saved for every file", { timeout: 600_000 }, async () => {
  const { seconds } = await openFilesScenario(2500, 256, 590_000);
  console.error(`open files: ${JSON.stringify({ runtime: collectorRuntime(), files: 2500, lines: 5000, limit: 256, lost: 0, duplicates: 0, seconds: Math.round(seconds) })}`);
});

/**
 * A todo until 2026-11-30: past the open-file budget, each scan compared every file waiting for a
 * handle with every file open beside it, opening it each time (5,000 files: 92 s on Bun, 10,000 not
 * done in 120 s). Now each is opened once a scan (copies.ts, identity.ts Head): 5,000 files 1.65 s,
 * 10,000 files 14 s on Bun.
 */
test("5,000 files with ulimit -n 256: every line once within 2 minutes", { timeout: 200_000 }, async () => {
  await openFilesScenario(5000, 256, 120_000);
});
