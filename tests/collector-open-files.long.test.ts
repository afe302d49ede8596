/** Thousands of files with a low open-file limit: 2,500 files with `ulimit -n 256` (5 s on Bun); 5,000 files is a todo (bug reported). */
import { test } from "node:test";
import { openFilesScenario } from "./_scenario-open-files.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("2,500 files with ulimit -n 256: verify finds every line once, state saved for every file", { timeout: 600_000 }, async () => {
  const { seconds } = await openFilesScenario(2500, 256, 590_000);
  console.error(`open files: ${JSON.stringify({ runtime: collectorRuntime(), files: 2500, lines: 5000, limit: 256, lost: 0, duplicates: 0, seconds: Math.round(seconds) })}`);
});

/**
 * Measured here on Bun: 1,500 files 2 s, 2,500 files 5 s, 3,500 files not done in 60 s (4,000 of 7,000 lines), with or
 * without `ulimit -n 256`; 5,000 files not done in 590 s. The CPU profile of a 3,500-file run: fstat, read, open and close
 * (63% of self time), fingerprint hashing and copies.ts copyOf: past the open-file budget, files are opened again and
 * again to be recognised. The budgeted run is given 120 s so this todo costs the long run little.
 */
test("5,000 files with ulimit -n 256: every line once within 2 minutes", { timeout: 200_000, todo: "tail: past ~3,000 files the collector reopens files to recognise them on every scan (copies.ts copyOf, identity.ts fingerprint): 3,500 files did not finish in 60 s, 2,500 took 5 s" }, async () => {
  await openFilesScenario(5000, 256, 120_000);
});
