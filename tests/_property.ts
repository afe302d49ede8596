/**
 * Parameters for the fast-check property tests, so a long sweep or a replay needs no edit:
 * - `LOGSIM_PROPERTY_RUNS=20000` runs each property that many times instead of its CI count;
 * - `LOGSIM_PROPERTY_SEED=-1442360310` starts from that seed (a failure prints its seed and path);
 * - `LOGSIM_PROPERTY_PATH="12:3:0"` with the seed replays just that (shrunk) counterexample.
 * A CI run uses a random seed, so every CI run tries new cases; fast-check prints the seed of a
 * failure in the assertion message, which every runtime's test runner shows.
 */
import process from "node:process";

export type PropertyParameters = { numRuns: number; seed?: number; path?: string; endOnFailure?: boolean };

const integer = (name: string, value: string, min: number): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}=${JSON.stringify(value)} is not an integer of at least ${min}`);
  return n;
};

/** fast-check parameters for a property run `ciRuns` times in CI, as the environment overrides them. */
export function propertyParameters(ciRuns: number, env: Record<string, string | undefined> = process.env): PropertyParameters {
  const runs = env.LOGSIM_PROPERTY_RUNS ? integer("LOGSIM_PROPERTY_RUNS", env.LOGSIM_PROPERTY_RUNS, 1) : ciRuns;
  const out: PropertyParameters = { numRuns: runs };
  if (env.LOGSIM_PROPERTY_SEED) out.seed = integer("LOGSIM_PROPERTY_SEED", env.LOGSIM_PROPERTY_SEED, -(2 ** 31));
  if (env.LOGSIM_PROPERTY_PATH) {
    if (out.seed === undefined) throw new Error("LOGSIM_PROPERTY_PATH replays a counterexample of one seed: set LOGSIM_PROPERTY_SEED too");
    // A replay runs the shrunk case only and stops at its failure, as fast-check's own replay does.
    Object.assign(out, { path: env.LOGSIM_PROPERTY_PATH, endOnFailure: true });
  }
  return out;
}

/** A test timeout for a property run `ciRuns` times in CI within `ciTimeoutMs`, scaled to the runs asked for. */
export function propertyTimeout(ciRuns: number, ciTimeoutMs: number, env: Record<string, string | undefined> = process.env): number {
  return Math.max(ciTimeoutMs, Math.ceil((ciTimeoutMs * propertyParameters(ciRuns, env).numRuns) / ciRuns));
}
