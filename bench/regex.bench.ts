/**
 * User regexes, with tinybench, on the current runtime:
 *   - the collect workload's patterns (bench/workload/rules.ts) over 20,000 corpus lines, on the
 *     engine logsim chose (RegExp for all of them now) and forced onto re2js (what a group such as
 *     `(ERROR|WARN)` cost before): lines/s and the ratio;
 *   - the engine choice per pattern: the direct proof, and recheck's analysis (its load and first
 *     check once, then warm checks) for the patterns the proof leaves to it.
 * Medians of each task; compare ratios within one run (the machine is noisy).
 *
 *   bun bench/regex.bench.ts | node --import tsx bench/regex.bench.ts | deno run -A bench/regex.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { compileRe2, compileSafeRegex } from "../core/regex.ts";
import { chooseEngine } from "../core/regex-engine.ts";
import { ANALYSIS_TIMEOUT_MS } from "../core/regex-recheck.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { writeCorpus } from "./workload/corpus.ts";
import { FILTER, PLAIN_PATTERN, TAGS } from "./workload/rules.ts";

const LINES = 20_000;
const runtime = await detectRuntime();
const dir = mkdtempSync(join(tmpdir(), "logsim-regex-bench-"));
writeCorpus(join(dir, "corpus.log"), LINES, 7);
const lines = readFileSync(join(dir, "corpus.log"), "utf8").split("\n").filter(Boolean);
rmSync(dir, { recursive: true, force: true });

const patterns: Array<[string, string, "test" | "groups"]> = [
  ["filter", FILTER, "test"],
  ["plain parser", PLAIN_PATTERN, "groups"],
  ...TAGS.map((t): [string, string, "test"] => [`tag ${t.tag}`, t.message, "test"]),
];

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const [name, pattern, use] of patterns) {
  const chosen = compileSafeRegex(pattern)._unsafeUnwrap();
  const re2 = compileRe2(pattern.replace(/\(\?P</g, "(?<"), false)._unsafeUnwrap();
  const onRe2 = use === "test" ? (line: string) => re2.test(line) : (line: string) => re2.exec(line) !== null;
  const onChosen = use === "test" ? (line: string) => chosen.test(line) : (line: string) => chosen.groups(line) !== undefined;
  let hits = 0;
  bench.add(`${name}: ${chosen.engine}`, () => {
    for (const line of lines) if (onChosen(line)) hits++;
  });
  bench.add(`${name}: re2 (forced)`, () => {
    for (const line of lines) if (onRe2(line)) hits--;
  });
}
const proofPatterns = [FILTER, PLAIN_PATTERN, "user=(\\w+)", "(a|a)".repeat(25) + "!"];
for (const pattern of proofPatterns) bench.add(`choice by proof: ${pattern.length > 24 ? `${pattern.slice(0, 21)}...` : pattern}`, () => void chooseEngine(pattern, false));

// recheck directly (logsim caches its verdicts): once cold, then warm checks.
type CheckSync = (source: string, flags: string, params: object) => { status: string };
const coldStart = performance.now();
const { checkSync } = createRequire(import.meta.url)("recheck/lib/browser.js") as { checkSync: CheckSync };
const loaded = performance.now();
checkSync("(a+)+$", "", { checker: "automaton", timeout: ANALYSIS_TIMEOUT_MS });
const firstCheck = performance.now();
for (const pattern of ["(a+)+$", "err.*x", "foo(?=bar)", "\\w+@\\w+\\.com"]) {
  bench.add(`recheck warm: ${pattern}`, () => void checkSync(pattern, "", { checker: "automaton", timeout: ANALYSIS_TIMEOUT_MS }));
}

await bench.run();

const median = (t: (typeof bench.tasks)[number]) => (t.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? NaN;
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
console.log(`logsim regex bench on ${runtime.name} ${runtime.version} (tinybench, median per op; ${LINES} corpus lines per op)`);
const byName = new Map(bench.tasks.map((t) => [t.name, median(t)]));
for (const [name] of patterns) {
  const [chosen, forced] = bench.tasks.filter((t) => t.name.startsWith(`${name}: `));
  const a = median(chosen!);
  const b = median(forced!);
  console.log(`  ${chosen!.name.padEnd(30)} ${fmt((LINES * 1000) / a).padStart(12)} lines/s   ${forced!.name.padEnd(30)} ${fmt((LINES * 1000) / b).padStart(12)} lines/s   ${(b / a).toFixed(1)}x`);
}
for (const [name, ms] of byName) if (!patterns.some(([p]) => name.startsWith(`${p}: `))) console.log(`  ${name.padEnd(44)} ${ms < 0.01 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(2)} ms`}`);
console.log(`  recheck load ${(loaded - coldStart).toFixed(0)} ms, first check ${(firstCheck - loaded).toFixed(0)} ms (once per process, only when the proof leaves a pattern to it)`);
