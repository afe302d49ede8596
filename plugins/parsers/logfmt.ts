/** `logfmt`: lines of key=value pairs only. */
import { fail, fromObject, kvTokens, setField, typed, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

/** logfmt: only `key=value` pairs (bare words mean it is not logfmt). */
export const parseLogfmt: LineParser = withUtf8Check((line, env) => {
  const tokens = kvTokens(line.text);
  if (!tokens) return fail("unterminated quoted value");
  if (tokens.length === 0) return fail("empty line");
  const obj: Record<string, unknown> = {};
  for (const t of tokens) {
    if (t.key === undefined) return fail("not logfmt: bare words");
    setField(obj, t.key, typed(t.value));
  }
  for (const k of ["msg", "message", "level", "time", "ts", "service", "tags"]) if (typeof obj[k] === "number" || typeof obj[k] === "boolean") obj[k] = String(obj[k]);
  return fromObject(obj, line, "logfmt", env);
});

export const logfmt = lineParserPlugin("logfmt", "Parses logfmt key=value lines", parseLogfmt);
