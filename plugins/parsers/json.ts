/** `json`: one JSON object per line; its keys become the record's time, level, service, message and fields (see fromObject). */
import { fail, fromObject, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

/** One JSON object per line. A line that is JSON but not an object is an error. */
export const parseJson: LineParser = withUtf8Check((line, env) => {
  // Only an object can be a record: anything else is refused before JSON.parse, which takes
  // seconds over a megabyte of nested brackets on JSC.
  if (line.text.charCodeAt(0) !== 123 /* { */ && line.text.trimStart().charCodeAt(0) !== 123) return fail("not a JSON object: does not start with {");
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return fail("invalid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("JSON is not an object");
  return fromObject(value as Record<string, unknown>, line, "json", env);
});

export const json = lineParserPlugin("json", "Parses one JSON object per line (pino, bunyan, winston, structlog, zap, slog, ECS, ...)", parseJson);
