/** The property tests' run count, seed and replay path come from the environment (tests/_property.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { propertyParameters, propertyTimeout } from "./_property.ts";

test("CI runs: the count given, a random seed", () => {
  assert.deepEqual(propertyParameters(150, {}), { numRuns: 150 });
  assert.equal(propertyTimeout(150, 120_000, {}), 120_000);
});

test("a sweep: LOGSIM_PROPERTY_RUNS and LOGSIM_PROPERTY_SEED, the timeout scaled", () => {
  const env = { LOGSIM_PROPERTY_RUNS: "20000", LOGSIM_PROPERTY_SEED: "-1442360310" };
  assert.deepEqual(propertyParameters(150, env), { numRuns: 20000, seed: -1442360310 });
  assert.equal(propertyTimeout(150, 120_000, env), 16_000_000);
  assert.equal(propertyTimeout(150, 120_000, { LOGSIM_PROPERTY_RUNS: "10" }), 120_000, "never shorter than CI's");
});

test("a replay: the seed and path of a failure run its shrunk case first", () => {
  const params = propertyParameters(150, { LOGSIM_PROPERTY_SEED: "7", LOGSIM_PROPERTY_PATH: "3:1" });
  assert.deepEqual(params, { numRuns: 150, seed: 7, path: "3:1", endOnFailure: true });
  // What fast-check prints for a failure is what the variables take back.
  const failure = fc.check(fc.property(fc.nat(), (n) => n < 50), { seed: 7 });
  assert.ok(failure.failed && failure.seed === 7);
  const replay = fc.check(fc.property(fc.nat(), (n) => n < 50), propertyParameters(150, { LOGSIM_PROPERTY_SEED: "7", LOGSIM_PROPERTY_PATH: failure.counterexamplePath! }));
  assert.ok(replay.failed);
  assert.equal(replay.numRuns, 1, "only the counterexample ran");
  assert.deepEqual(replay.counterexample, failure.counterexample);
});

test("bad values are named, not ignored", () => {
  assert.throws(() => propertyParameters(150, { LOGSIM_PROPERTY_RUNS: "lots" }), /LOGSIM_PROPERTY_RUNS="lots" is not an integer/);
  assert.throws(() => propertyParameters(150, { LOGSIM_PROPERTY_RUNS: "0" }), /at least 1/);
  assert.throws(() => propertyParameters(150, { LOGSIM_PROPERTY_PATH: "1:2" }), /set LOGSIM_PROPERTY_SEED too/);
});
