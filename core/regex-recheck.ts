/**
 * The ReDoS analysis for patterns the direct proof (regex-proof.ts) does not cover: recheck's
 * automaton checker, run in this thread (its pure JavaScript build, the same on Bun, Deno and
 * Node; no fuzzing, so a verdict does not depend on timing, only a timeout can). recheck is large
 * (~1 s to load and warm up), so it is loaded on the first pattern that needs it, not at startup.
 */
import { createRequire } from "node:module";
import type { Diagnostics, Parameters } from "recheck";

/** A hostile pattern cannot hold up the config load longer than this; the pattern then counts as unproved. */
// The first case-insensitive check in a process spends ~2 s building case tables on a loaded machine.
export const ANALYSIS_TIMEOUT_MS = 5000;

/**
 * The analysis' answer: proved safe on a backtracking engine, vulnerable (with an attack
 * string), or no answer (timeout, unsupported syntax, library missing).
 */
export type Analysis = { status: "safe"; complexity: string } | { status: "vulnerable"; complexity: string; attack: string } | { status: "unknown"; why: string };

type CheckSync = (source: string, flags: string, params?: Parameters) => Diagnostics;

// Its Node build picks a backend by environment variables and a worker; the browser build is the in-thread checker.
const RECHECK_ENTRY = "recheck/lib/browser.js";

// Verdicts are pure in (pattern, flags), and a pattern is checked twice per load (schema, then create).
const MAX_CACHED = 256;
const cache = new Map<string, Analysis>();

/**
 * Analyses one pattern (flags: "" or "i").
 *
 * @example
 * analyzeRegex("(a+)+$", ""); // { status: "vulnerable", complexity: "exponential", attack: "aaaa…a\n" }
 */
export function analyzeRegex(pattern: string, flags: string): Analysis {
  const key = `${flags}/${pattern}`;
  const known = cache.get(key);
  if (known) return known;
  const analysis = runAnalysis(pattern, flags);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, analysis);
  return analysis;
}

function runAnalysis(pattern: string, flags: string): Analysis {
  let checkSync: CheckSync;
  try {
    checkSync = (createRequire(import.meta.url)(RECHECK_ENTRY) as { checkSync: CheckSync }).checkSync;
  } catch (error) {
    return { status: "unknown", why: `the ReDoS analysis (recheck) could not be loaded: ${(error as Error).message.split("\n")[0]}` };
  }
  let d: Diagnostics;
  try {
    d = checkSync(pattern, flags, { checker: "automaton", timeout: ANALYSIS_TIMEOUT_MS });
  } catch (error) {
    // A pattern nested thousands deep can overflow its stack: no verdict, so RE2.
    return { status: "unknown", why: `the analysis failed: ${(error as Error).message.split("\n")[0]}` };
  }
  if (d.status === "safe") return { status: "safe", complexity: d.complexity.type };
  if (d.status === "vulnerable") {
    const { type } = d.complexity;
    return { status: "vulnerable", complexity: type === "polynomial" ? `polynomial (degree ${d.complexity.degree})` : type, attack: d.attack.string };
  }
  const e = d.error;
  return { status: "unknown", why: e.kind === "timeout" ? `the analysis timed out after ${ANALYSIS_TIMEOUT_MS} ms` : `the analysis could not decide (${e.kind}${"message" in e ? `: ${e.message}` : ""})` };
}
