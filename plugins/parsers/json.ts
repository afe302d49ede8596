/**
 * `json`: one JSON object per line; its keys become the record's time, level, service, message and
 * fields (see fromObject), in the dialects of pino, bunyan, winston, structlog, zap, slog,
 * python-json-logger, ECS, logstash and CLEF (see _dialects.ts), and Docker json-file lines unwrapped.
 */
import { err, type RawLine } from "../../core/mod.ts";
import { fail, fromObject, withUtf8Check, type ParseEnv, type ParseResult } from "./_common.ts";
import { ContainerDecoder, dockerFields, parseDecoded } from "./_container.ts";
import { clefRecord, ecs, logstashV0 } from "./_dialects.ts";
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
  const obj = value as Record<string, unknown>;
  // pino, bunyan, winston's json, zap, slog, ECS and the generator write `msg` or `message`: two look-ups and they go on.
  if (obj.message === undefined && obj.msg === undefined) return parseWithoutMessage(obj, line, env);
  return fromObject(obj["@timestamp"] === undefined ? obj : ecs(obj), line, "json", env);
});

/** The dialects without a `message`/`msg`: CLEF, logstash v0, a Docker line, ECS without one, structlog (`event`, read by fromObject). */
function parseWithoutMessage(obj: Record<string, unknown>, line: RawLine, env: ParseEnv): ParseResult {
  if (obj["@t"] !== undefined) return clefRecord(obj, line, "json", env);
  if (obj["@message"] !== undefined || obj["@fields"] !== undefined) return fromObject(logstashV0(obj), line, "json", env);
  if (typeof obj.log === "string" && typeof obj.stream === "string") {
    const c = dockerFields(obj, env.seconds);
    if (typeof c !== "string") {
      const decoded = new ContainerDecoder("docker").decoded(line, c, env.now);
      if (decoded.isErr()) return err(decoded.error);
      return parseDecoded(decoded.value, env, parseJson, "docker");
    }
  }
  return fromObject(obj["@timestamp"] === undefined ? obj : ecs(obj), line, "json", env);
}

export const json = lineParserPlugin("json", "Parses one JSON object per line (pino, bunyan, winston, structlog, zap, slog, ECS, CLEF, logstash, Docker json-file)", parseJson);
