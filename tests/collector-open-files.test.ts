/** More files than the process may open (CI size): 400 files with `ulimit -n 256`; thousands in collector-open-files.long.test.ts. */
import { test } from "node:test";
import { openFilesScenario } from "./_scenario-open-files.ts";

test("400 files with ulimit -n 256: verify finds every line once, state saved for every file", { timeout: 120_000 }, async () => {
  await openFilesScenario(400, 256, 110_000);
});
