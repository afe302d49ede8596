/** Bad input at the size: a 50 MB line among invalid UTF-8, a NUL byte, CRLF and binary garbage. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertBadInput, badInputScenario } from "./_scenario-bad-input.ts";
import { collectorRuntime } from "./_scenario-runtime.ts";

test("a 50 MB line among invalid UTF-8, a NUL byte, CRLF and binary garbage: counted, dead-lettered, the rest delivered", { timeout: 900_000 }, async () => {
  const started = performance.now();
  const run = await badInputScenario(["invalid-utf8", "nul", "crlf", "huge-line", "garbage"], 50 * 1024 * 1024);
  assertBadInput(run);
  assert.equal(run.delivery.deadLettered, 3, run.stderr);
  console.error(`bad input (long): ${JSON.stringify({ runtime: collectorRuntime(), lines: run.count, deadLettered: run.delivery.deadLettered, lost: run.delivery.lostCount, duplicates: run.delivery.duplicates, seconds: Math.round((performance.now() - started) / 1000) })}`);
});
