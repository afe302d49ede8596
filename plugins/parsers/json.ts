/**
 * `json`: one JSON object per line; its keys become the record's time, level, service, message and
 * fields (see fromObject), in the dialects of pino, bunyan, winston, structlog, zap, slog,
 * python-json-logger, ECS, logstash and CLEF (see _dialects.ts), and Docker json-file lines unwrapped.
 */
import { err, type RawLine } from "../../core/mod.ts";
import { badUtf8, fail, fromObject, type ParseEnv, type ParseResult } from "./_common.ts";
import { ContainerDecoder, dockerFields, parseDecoded } from "./_container.ts";
import { clefRecord, ecs, logstashV0 } from "./_dialects.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

// The refusals are made once: a plain line before a later parser (json then regex) costs one
// comparison and no allocation, and never a failed JSON.parse.
const INVALID_UTF8 = fail("invalid UTF-8");
const NOT_AN_OBJECT = fail("not a JSON object: does not start with {");
const INVALID_JSON = fail("invalid JSON");
const JSON_NOT_OBJECT = fail("JSON is not an object");
/** Deeper objects parse, but no sink could write them back: JSON.stringify overflows its stack. */
const MAX_DEPTH = 1000;
const TOO_DEEP = fail(`JSON nested deeper than ${MAX_DEPTH} levels`);

/** Whether brackets outside strings nest deeper than `max`. Each level takes a character, so only long lines are scanned. */
function nestedDeeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* backslash */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** One JSON object per line. A line that is JSON but not an object is an error. */
export const parseJson: LineParser = (line, env) => {
  const text = line.text;
  // Only an object can be a record: anything else is refused before JSON.parse, which takes
  // seconds over a megabyte of nested brackets on JSC.
  if (text.charCodeAt(0) !== 123 /* { */ && text.trimStart().charCodeAt(0) !== 123) return badUtf8(line) ? INVALID_UTF8 : NOT_AN_OBJECT;
  if (badUtf8(line)) return INVALID_UTF8;
  if (nestedDeeperThan(text, MAX_DEPTH)) return TOO_DEEP;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return JSON_NOT_OBJECT;
  const obj = value as Record<string, unknown>;
  // pino, bunyan, winston's json, zap, slog, ECS and the generator write `msg` or `message`: two look-ups and they go on.
  if (obj.message === undefined && obj.msg === undefined) return parseWithoutMessage(obj, line, env);
  return fromObject(obj["@timestamp"] === undefined ? obj : ecs(obj), line, "json", env);
};

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
