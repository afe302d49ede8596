/**
 * The user's own patterns, run by the author entry's compileFindAll (safe regexes
 * only). A group named `secret` narrows the replacement to that group
 * (`ssn=(?<secret>...)` keeps `ssn=`).
 */
import { compileFindAll as findAllOf, err, ok, type FindAll, type Result, type Span } from "../../core/mod.ts";

export type { FindAll };

/** A group named `secret` narrows the replacement to that group. */
export function compileFindAll(pattern: string, ignoreCase: boolean): Result<FindAll, string> {
  const found = findAllOf(pattern, { ignoreCase, ...(/\(\?P?<secret>/.test(pattern) ? { group: "secret" } : {}) });
  return found.isErr() ? err(found.error) : ok(found.value);
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
