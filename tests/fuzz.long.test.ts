/** The long fuzzing (npm run test:long): 100,000 cases for the web API, the JSON config and each built-in parser. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime } from "../runtime/detect.ts";
import { byKind, PARSER_OPTIONS, PARSER_SAMPLES, spec } from "../testing/_builtin-specs.ts";
import { checkParserContract } from "../testing/mod.ts";
import { describeProblems, fuzzConfig, fuzzWebApi } from "./_fuzz.ts";

const runtime = await detectRuntime();
const RUNS = Number(process.env.LOGSIM_FUZZ_RUNS ?? 100_000);

test(`web API: ${RUNS} fuzzed requests`, { timeout: 3_600_000 }, async () => {
  const report = await fuzzWebApi(runtime, RUNS);
  assert.deepEqual(report.problems, [], describeProblems("web API", report));
  console.log(`web API: ${report.cases} cases, outcomes ${JSON.stringify(report.outcomes)}`);
});

test(`JSON config: ${RUNS} fuzzed configs`, { timeout: 3_600_000 }, () => {
  const report = fuzzConfig(RUNS);
  assert.deepEqual(report.problems, [], describeProblems("config", report));
  console.log(`config: ${report.cases} cases, outcomes ${JSON.stringify(report.outcomes)}`);
});

for (const definition of byKind("parser")) {
  test(`parser ${definition.name}: ${RUNS} fuzzed lines`, { timeout: 3_600_000 }, async () => {
    await checkParserContract(spec(definition, PARSER_OPTIONS[definition.name]), { samples: PARSER_SAMPLES, runs: RUNS });
  });
}
