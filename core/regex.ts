/**
 * User regexes that cannot hang the process. Each pattern gets its engine when it is compiled
 * (regex-engine.ts): the engine's own RegExp when it is proved to run in linear time on a
 * backtracking engine (`(ERROR|WARN)`, `user=(\w+)`, `^(?<ts>\S+) (?<level>\w+) (?<msg>.*)$`),
 * else re2js, a linear-time RE2 engine (`(a+)+$`, `.*error.*x`, and `(a|a)` 25 times, which V8
 * backtracks through for 31 s). Backreferences, lookaround that is not proved safe, and patterns
 * too large for RE2 are refused at load time, with the reason.
 */
import { createRequire } from "node:module";
import type { RE2JS } from "re2js";
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";
import { chooseEngine } from "./regex-engine.ts";

/**
 * A compiled user pattern that runs in linear time.
 *
 * @example
 * const re: SafeRegex = compileSafeRegex("user=(?<user>u-\\d+)")._unsafeUnwrap();
 * re.groups("id user=u-1"); // { user: "u-1" }
 */
export interface SafeRegex {
  readonly source: string;
  readonly engine: "native" | "re2";
  /** Why this engine: `safe: every repetition is unambiguous`, `vulnerable: exponential backtracking on 'aaaa…!'`. */
  readonly reason: string;
  test(text: string): boolean;
  /** Named groups of the first match, or undefined when it does not match. */
  groups(text: string): Record<string, string | undefined> | undefined;
}

/**
 * How to compile a pattern.
 *
 * @example
 * compileSafeRegex("error", { ignoreCase: true });
 * compileSafeRegex(queryParam, { ignoreCase: true, analyze: false }); // a dashboard query: no seconds-long analysis
 */
export interface RegexOptions {
  ignoreCase?: boolean;
  /**
   * Ask the ReDoS analysis about a pattern the direct proof does not cover (default true). It is
   * synchronous and may take seconds (bounded by its timeout), so pass false for a pattern that
   * comes with a request rather than a config: such a pattern then runs on re2js (lookaround is refused).
   */
  analyze?: boolean;
}

/**
 * Linear time is O(text x program): a short pattern such as `(\w|\s){1000}` compiles
 * to ~3,000 instructions and costs ~100 ms per KiB of hostile text. Programs
 * above this size are refused (`.{1,500}x` is ~1,000).
 */
export const MAX_PROGRAM_SIZE = 1100;

/**
 * Compiles a user pattern, or says why it cannot be used.
 *
 * @example
 * compileSafeRegex("(ERROR|WARN) \\[")._unsafeUnwrap().engine; // "native": proved linear on RegExp
 * compileSafeRegex("(a+)+$")._unsafeUnwrap().engine; // "re2": exponential on a backtracking engine
 * compileSafeRegex("(a)\\1").isErr(); // true: backreference
 */
export function compileSafeRegex(pattern: string, options: RegexOptions = {}): Result<SafeRegex, string> {
  const jsPattern = pattern.replace(/\(\?P</g, "(?<");
  let native: RegExp;
  try {
    native = new RegExp(jsPattern, options.ignoreCase ? "i" : "");
  } catch (error) {
    return err(`invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  const chosen = chooseEngine(jsPattern, options.ignoreCase ?? false, options.analyze ?? true);
  if (chosen.isErr()) return err(`${chosen.error} (patterns must run in linear time)`);
  const { engine, reason } = chosen.value;
  if (engine === "native") {
    return ok({
      source: pattern,
      engine,
      reason,
      test: (text) => native.test(text),
      groups(text) {
        const match = native.exec(text);
        return match ? (match.groups ?? {}) : undefined;
      },
    });
  }
  const re2 = compileRe2(jsPattern, options.ignoreCase ?? false);
  if (re2.isErr()) return err(re2.error);
  const compiled = re2.value;
  return ok({
    source: pattern,
    engine,
    reason,
    test: (text) => compiled.test(text),
    groups(text) {
      const match = compiled.exec(text) as (string[] & { groups?: Record<string, string | undefined> }) | null;
      return match ? (match.groups ?? {}) : undefined;
    },
  });
}

/**
 * The RE2 program for a pattern (already accepted by RegExp), or why RE2 cannot run it in bounded time.
 *
 * @example
 * compileRe2("(a+)+$", false)._unsafeUnwrap().test("aaa"); // true, in linear time
 */
export function compileRe2(jsPattern: string, ignoreCase: boolean): Result<RE2JS, string> {
  let re2: RE2JS;
  try {
    const { RE2JS } = loadRe2js();
    re2 = RE2JS.compile(RE2JS.translateRegExp(jsPattern), ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    return err(`not supported by the linear-time engine: ${(error as Error).message}`);
  }
  if (re2.programSize() > MAX_PROGRAM_SIZE) {
    return err(`pattern too large for linear-time matching (program size ${re2.programSize()} > ${MAX_PROGRAM_SIZE}); use smaller counted repetitions such as {1000}`);
  }
  return ok(re2);
}

/**
 * re2js, loaded by the first pattern that needs it (require caches it): evaluating its module took
 * 70 ms of CPU (Bun 1.4), paid at startup by every process and every parsing thread, though most
 * configs' patterns are proved safe and run on RegExp.
 */
const loadRe2js = () => createRequire(import.meta.url)("re2js") as typeof import("re2js");

// The definitions of the schemas regexOption made, so `logsim validate` finds a config's regexes
// (regex-report.ts). A definition, not the schema: `.describe()` clones the schema and keeps its
// definition. Weak: a schema no one holds any more is forgotten.
const regexOptions = new WeakSet<object>();

/**
 * Whether a schema is a regex option (made by `regexOption`).
 *
 * @example
 * isRegexOption(regexOption()); // true
 * isRegexOption(z.string()); // false
 */
export const isRegexOption = (schema: z.ZodType): boolean => regexOptions.has(schema.def);

/**
 * A regex option: checked when the config loads, so a bad or unsafe pattern is a config error,
 * and `logsim validate` says which engine it got. With `nonEmpty`, an empty pattern is refused too.
 * A sibling `ignoreCase: true` in the same options object is taken as the pattern's flag by `logsim validate`.
 *
 * @example
 * const schema = z.strictObject({ match: regexOption() });
 * // in create(options): const re = compileSafeRegex(options.match)._unsafeUnwrap(); // checked by the schema
 */
export function regexOption(options: { nonEmpty?: boolean } = {}): z.ZodString {
  const text = z.string({ error: "expected a regular expression" });
  const schema = (options.nonEmpty ? text.min(1) : text).superRefine((value, ctx) => {
    const result = compileSafeRegex(value);
    if (result.isErr()) ctx.addIssue({ code: "custom", message: result.error });
  });
  regexOptions.add(schema.def);
  return schema;
}
