/**
 * Which engine runs a user's pattern, decided once when it is compiled:
 * - `native` (the runtime's RegExp, fastest) when the pattern is proved to run in linear time on
 *   a backtracking engine: first by the direct proof (regex-proof.ts, microseconds, covers the
 *   usual shapes), else by the ReDoS analysis (regex-recheck.ts);
 * - `re2` (re2js, linear time whatever the pattern) for the rest, when RE2 can run it;
 * - refused: backreferences (no linear-time engine runs them, and no analysis proves them safe),
 *   lookaround that the analysis does not prove safe, and patterns too large for either.
 * Both proofs bound the work per character by a constant; a finite part with a very large number
 * of ways through it (`(a|a)` 25 times: 2^25 tries per start on V8, 31 s) is not proved either,
 * since the analysis calls it constant.
 */
import { err, ok, type Result } from "neverthrow";
import { costOf, proveLinear, type Cost } from "./regex-proof.ts";
import { analyzeRegex } from "./regex-recheck.ts";
import { parseRegex, type RegexNode } from "./regex-syntax.ts";

/** The engine a pattern runs on, and why, as `logsim validate` prints it. */
export interface EngineChoice {
  engine: "native" | "re2";
  reason: string;
}

/**
 * At most this many ways through a pattern's finite part (and this long a finite stretch) on a
 * backtracking engine: the same order as RE2's own per-character cost limit (MAX_PROGRAM_SIZE).
 */
export const MAX_NATIVE_PATHS = 1000;
export const MAX_NATIVE_WIDTH = 1000;

/** Shows an attack string short: its start, and its end, where it makes the match fail. */
export function formatAttack(attack: string): string {
  const shown = attack.length > 16 ? `${attack.slice(0, 10)}…${attack.slice(-3)}` : attack;
  return JSON.stringify(shown).slice(1, -1).replace(/'/g, "\\'");
}

function costProblem(cost: Cost): string | undefined {
  if (cost.paths > MAX_NATIVE_PATHS) return `${cost.paths >= 1e9 ? "over 10^9" : cost.paths} ways to match one stretch, each of which backtracking may try`;
  if (cost.width > MAX_NATIVE_WIDTH) return `a fixed stretch of ${cost.width} characters, re-read from every start`;
  return undefined;
}

const hasRepetition = (node: RegexNode): boolean =>
  node.type === "repeat" || (node.type === "seq" ? node.items.some(hasRepetition) : node.type === "alt" ? node.alternatives.some(hasRepetition) : node.type === "look" ? hasRepetition(node.body) : false);

/**
 * Chooses the engine for a pattern that `new RegExp(jsPattern, ignoreCase ? "i" : "")` accepts;
 * an error says why neither engine may run it (the RE2 checks come after, in regex.ts). Without
 * `analyze`, what the direct proof does not cover goes to RE2 without asking the analysis.
 *
 * @example
 * chooseEngine("(ERROR|WARN)", false); // ok({ engine: "native", reason: "safe: no repetition, at most 2 ways to match" })
 * chooseEngine("(a+)+$", false); // ok({ engine: "re2", reason: "vulnerable: exponential backtracking on 'aaaa…'" })
 */
export function chooseEngine(jsPattern: string, ignoreCase: boolean, analyze = true): Result<EngineChoice, string> {
  const tree = parseRegex(jsPattern, ignoreCase);
  const proof = tree ? proveLinear(tree) : undefined;
  if (proof?.proved === false && proof.why === "backreference") return err("backreferences are not supported (no linear-time engine runs them, and no analysis proves them safe)");
  if (tree && proof?.proved) {
    const problem = costProblem(proof.cost);
    if (problem) return ok({ engine: "re2", reason: `not safe to backtrack: ${problem}` });
    const reason = hasRepetition(tree) ? "safe: every repetition is unambiguous" : `safe: no repetition, at most ${proof.cost.paths} way${proof.cost.paths === 1 ? "" : "s"} to match`;
    return ok({ engine: "native", reason });
  }
  const lookaround = proof ? proof.proved === false && proof.why === "lookaround" : /\(\?<?[=!]/.test(jsPattern);
  const choice = analyze ? fromAnalysis(jsPattern, ignoreCase, tree) : { engine: "re2" as const, reason: "not proved safe: the ReDoS analysis is not run for this pattern (given with a request)" };
  if (lookaround && choice.engine !== "native") {
    return err(`lookahead and lookbehind are not supported by the linear-time engine, and the ReDoS analysis did not prove this pattern safe (${choice.reason})`);
  }
  return ok(choice);
}

function fromAnalysis(jsPattern: string, ignoreCase: boolean, tree: RegexNode | undefined): EngineChoice {
  const analysis = analyzeRegex(jsPattern, ignoreCase ? "i" : "");
  if (analysis.status === "vulnerable") return { engine: "re2", reason: `vulnerable: ${analysis.complexity} backtracking on '${formatAttack(analysis.attack)}'` };
  if (analysis.status === "unknown") return { engine: "re2", reason: `not proved safe: ${analysis.why}` };
  const problem = tree ? costProblem(costOf(tree)) : "the pattern could not be read to bound its cost";
  if (problem) return { engine: "re2", reason: `not safe to backtrack: ${problem}` };
  return { engine: "native", reason: `safe: ReDoS analysis (recheck) found ${analysis.complexity === "safe" ? "constant" : analysis.complexity} time` };
}
