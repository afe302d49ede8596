/** `json`: one JSON object per line; its keys become the record's time, level, service, message and fields (see fromObject). */
import { fail, fromObject, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

/** One JSON object per line. A line that is JSON but not an object is an error. */
export const parseJson: LineParser = withUtf8Check((line, env) => {
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
