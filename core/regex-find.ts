/**
 * Every match of a user's pattern in a text: checked as every user regex in logsim is
 * (compileSafeRegex), then run on the engine it chose: the engine's RegExp when the pattern is
 * proved linear-time on it, re2js otherwise.
 */
import { compileRe2, compileSafeRegex } from "./regex.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * A span of text: `text.slice(start, end)`.
 *
 * @example
 * const secret = (text: string, span: Span) => text.slice(span.start, span.end);
 */
export interface Span {
  start: number;
  end: number;
}

/**
 * Finds every non-overlapping, non-empty match of a pattern, left to right.
 *
 * @example
 * const emails: FindAll = compileFindAll("[\\w.]+@[\\w.]+")._unsafeUnwrap();
 */
export type FindAll = (text: string) => Span[];

/**
 * Compiles `pattern` into a function that finds all its matches; with `group`, the span of that
 * named group in each match (matches where it took no text are skipped). Unsafe patterns are refused with the reason.
 *
 * @example
 * const find = compileFindAll("ssn=(?<secret>\\d{3}-\\d{2}-\\d{4})", { group: "secret" })._unsafeUnwrap();
 * find("ssn=123-45-6789 ok"); // [{ start: 4, end: 15 }]
 */
export function compileFindAll(pattern: string, options: { ignoreCase?: boolean; group?: string } = {}): Result<FindAll, string> {
  const ignoreCase = options.ignoreCase ?? false;
  const checked = compileSafeRegex(pattern, { ignoreCase });
  if (checked.isErr()) return err(checked.error);
  const source = pattern.replace(/\(\?P</g, "(?<");
  const group = options.group;
  if (checked.value.engine === "native") {
    const re = new RegExp(source, `gd${ignoreCase ? "i" : ""}`);
    return ok((text) => {
      const spans: Span[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0] === "") re.lastIndex++; // An empty match would loop.
        const span = group ? m.indices?.groups?.[group] : m.indices?.[0];
        if (span && span[1] > span[0]) spans.push({ start: span[0], end: span[1] });
      }
      return spans;
    });
  }
  const re2 = compileRe2(source, ignoreCase)._unsafeUnwrap(); // compileSafeRegex compiled it already.
  return ok((text) => {
    const spans: Span[] = [];
    const m = re2.matcher(text);
    while (m.find()) {
      const start = group ? m.start(group) : m.start();
      const end = group ? m.end(group) : m.end();
      if (start >= 0 && end > start) spans.push({ start, end });
    }
    return spans;
  });
}
