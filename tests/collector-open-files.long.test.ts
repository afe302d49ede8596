/** Thousands of files with a low open-file limit: 5,000 files with `ulimit -n 256`. */
import { test } from "node:test";
import { openFilesScenario } from "./_scenario-open-files.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("5,000 files with ulimit -n 256: verify finds every line once, state saved for every file", { timeout: 600_000 }, async () => {
  const { seconds } = await openFilesScenario(5000, 256, 590_000);
  console.error(`open files: ${JSON.stringify({ runtime: collectorRuntime(), files: 5000, lines: 10_000, limit: 256, lost: 0, duplicates: 0, seconds: Math.round(seconds) })}`);
});
