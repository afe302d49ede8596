/**
 * The user's own patterns. They are checked as every user regex in logsim is
 * (compileSafeRegex: no backreference or lookaround, and linear-time matching
 * for anything that could backtrack), then run to find every match: on the
 * engine's RegExp when the pattern is flat, on re2js otherwise. A group
 * named `secret` narrows the replacement to that group (`ssn=(?<secret>...)`
 * keeps `ssn=`).
 */
import { RE2JS } from "re2js";
import { err, ok, type Result } from "neverthrow";
import { compileSafeRegex } from "../_shared/safe-regex.ts";

/** A span of text to replace. */
interface Span {
  start: number;
  end: number;
}

/** Finds every non-overlapping match of a pattern, left to right. */
export type FindAll = (text: string) => Span[];

export function compileFindAll(pattern: string, ignoreCase: boolean): Result<FindAll, string> {
  const checked = compileSafeRegex(pattern, { ignoreCase });
  if (checked.isErr()) return err(checked.error);
  const source = pattern.replace(/\(\?P</g, "(?<");
  const narrowed = /\(\?<secret>/.test(source);
  if (checked.value.engine === "native") {
    const re = new RegExp(source, `gd${ignoreCase ? "i" : ""}`);
    return ok((text) => {
      const spans: Span[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0] === "") re.lastIndex++; // An empty match would loop.
        const span = narrowed ? m.indices?.groups?.secret : m.indices?.[0];
        if (span && span[1] > span[0]) spans.push({ start: span[0], end: span[1] });
      }
      return spans;
    });
  }
  const re2 = RE2JS.compile(RE2JS.translateRegExp(source), ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  return ok((text) => {
    const spans: Span[] = [];
    const m = re2.matcher(text);
    while (m.find()) {
      const start = narrowed ? m.start("secret") : m.start();
      const end = narrowed ? m.end("secret") : m.end();
      if (start >= 0 && end > start) spans.push({ start, end });
    }
    return spans;
  });
}

/** Replaces the spans (sorted, not overlapping) of `text` with `secret`. */
export function replaceSpans(text: string, spans: readonly Span[], secret: string): string {
  if (spans.length === 0) return text;
  let out = "";
  let copied = 0;
  for (const span of spans) {
    out += text.slice(copied, span.start) + secret;
    copied = span.end;
  }
  return out + text.slice(copied);
}
