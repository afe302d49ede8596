/** A short run of tests/_fuzz.ts on every runtime (the long run: tests/fuzz.long.test.ts, 100,000 cases each). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime } from "../runtime/detect.ts";
import { describeProblems, fuzzConfig, fuzzWebApi } from "./_fuzz.ts";
import { propertyParameters, propertyTimeout } from "./_property.ts";

const runtime = await detectRuntime();

test("web API: fuzzed paths, query parameters and Last-Event-ID are answered with a known status, JSON errors, the CSP, quickly", { timeout: propertyTimeout(400, 120_000) }, async () => {
  const { numRuns, seed } = propertyParameters(400);
  const report = await fuzzWebApi(runtime, numRuns, seed);
  assert.deepEqual(report.problems, [], describeProblems("web API", report));
  assert.equal(report.cases, numRuns);
  assert.ok((report.outcomes["400"] ?? 0) > 0 && (report.outcomes["200"] ?? 0) > 0, `both answers seen: ${JSON.stringify(report.outcomes)}`);
});

test("JSON config: fuzzed configs with hostile keys validate or are refused in lines, never throw, never touch Object.prototype", { timeout: propertyTimeout(300, 120_000) }, () => {
  const { numRuns, seed } = propertyParameters(300);
  const report = fuzzConfig(numRuns, seed);
  assert.deepEqual(report.problems, [], describeProblems("config", report));
  assert.ok((report.outcomes.invalid ?? 0) > 0, "refusals seen");
});
