/**
 * User regexes that cannot hang the process. A flat pattern (literals,
 * classes, anchors, `.` and top-level alternation, with no group and no
 * quantifier, such as `ERROR|payment`) runs on the engine's own RegExp, which
 * cannot backtrack into it and is fastest. Anything else runs on re2js, a
 * linear-time RE2 engine: quantified patterns such as `(a+)+$`, and also
 * groups of alternatives, which V8 backtracks through exponentially even
 * without a quantifier (`(a|a)(a|a)…!` repeated 25 times took 31 s on Node).
 * Backreferences and lookaround, which no linear-time engine supports, are
 * refused at load time.
 */
import { RE2JS } from "re2js";
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";

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
  test(text: string): boolean;
  /** Named groups of the first match, or undefined when it does not match. */
  groups(text: string): Record<string, string | undefined> | undefined;
}

/**
 * How to compile a pattern.
 *
 * @example
 * compileSafeRegex("error", { ignoreCase: true });
 */
export interface RegexOptions {
  ignoreCase?: boolean;
}

/**
 * Linear time is O(text x program): a short pattern such as `(\w|\s){1000}` compiles
 * to ~3,000 instructions and costs ~100 ms per KiB of hostile text. Programs
 * above this size are refused (`.{1,500}x` is ~1,000).
 */
export const MAX_PROGRAM_SIZE = 1100;

interface Shape {
  /** Has a group or a quantifier (`* + ? {`): not safe for a backtracking engine. */
  nested: boolean;
  unsupported?: string;
}

/** Scans a pattern for repetition and for what RE2 cannot run. */
function shape(pattern: string): Shape {
  const out: Shape = { nested: false };
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && (/[1-9]/.test(next) || (next === "k" && pattern[i + 2] === "<"))) out.unsupported ??= "backreferences are not supported";
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") inClass = true;
    else if (c === "(") {
      out.nested = true;
      const kind = pattern.slice(i + 2, i + 4);
      if (pattern[i + 1] === "?" && (kind.startsWith("=") || kind.startsWith("!") || kind === "<=" || kind === "<!")) out.unsupported ??= "lookahead and lookbehind are not supported";
    } else if (c === "*" || c === "+" || c === "{" || c === "?") out.nested = true;
  }
  return out;
}

/**
 * Compiles a user pattern, or says why it cannot be used.
 *
 * @example
 * compileSafeRegex("ERROR|payment")._unsafeUnwrap().test("payment ok"); // true, on RegExp
 * compileSafeRegex("(a+)+$")._unsafeUnwrap().engine; // "re2": linear time
 * compileSafeRegex("(a)\\1").isErr(); // true: backreference
 */
export function compileSafeRegex(pattern: string, options: RegexOptions = {}): Result<SafeRegex, string> {
  const s = shape(pattern);
  if (s.unsupported) return err(`${s.unsupported} (patterns must run in linear time)`);
  const jsPattern = pattern.replace(/\(\?P</g, "(?<");
  let native: RegExp;
  try {
    native = new RegExp(jsPattern, options.ignoreCase ? "i" : "");
  } catch (error) {
    return err(`invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  if (!s.nested) {
    return ok({ source: pattern, engine: "native", test: (text) => native.test(text), groups: (text) => native.exec(text)?.groups ?? (native.test(text) ? {} : undefined) });
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(jsPattern), options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    return err(`not supported by the linear-time engine: ${(error as Error).message}`);
  }
  if (re2.programSize() > MAX_PROGRAM_SIZE) {
    return err(`pattern too large for linear-time matching (program size ${re2.programSize()} > ${MAX_PROGRAM_SIZE}); use smaller counted repetitions such as {1000}`);
  }
  return ok({
    source: pattern,
    engine: "re2",
    test: (text) => re2.test(text),
    groups(text) {
      const match = re2.exec(text) as (string[] & { groups?: Record<string, string | undefined> }) | null;
      return match ? (match.groups ?? {}) : undefined;
    },
  });
}

/**
 * A regex option: checked when the config loads, so a bad or unsafe pattern is a config error.
 *
 * @example
 * const schema = z.strictObject({ match: regexOption() });
 * // in create(options): const re = compileSafeRegex(options.match)._unsafeUnwrap(); // checked by the schema
 */
export const regexOption = () =>
  z.string({ error: "expected a regular expression" }).superRefine((value, ctx) => {
    const result = compileSafeRegex(value);
    if (result.isErr()) ctx.addIssue({ code: "custom", message: result.error });
  });
