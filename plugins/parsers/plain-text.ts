/** `plain-text`: `TIMESTAMP LEVEL [service] message key=value ...`, the generator's text format and most app logs. */
import { definePlugin, ok } from "../../core/mod.ts";
import { z } from "zod";
import { base, fail, kvTokens, levelOf, parseTime, setField, typed, withUtf8Check, type Token } from "./_common.ts";
import { parseEnv, timezoneOption, type LineParser } from "./_plugin.ts";

/** The generator's short names in its text format. */
const TEXT_LONG_NAMES = new Map([["user", "user_id"], ["session", "session_token"], ["req", "request_id"]]);

const TEXT_HEAD = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+\[?([A-Za-z]+)\]?:?(?:\s+|$)/;
/** `[name]` or, as logsim writes a name with spaces, brackets or quotes, `["a JSON string"]`. */
const BRACKET = /^\[("(?:[^"\\]|\\.)*"|[^\]"]*)\]:?(?:\s+|$)/;

export interface PlainTextOptions {
  /** `[word]` after the level is always the service; by default only on logsim's own text lines. */
  serviceBrackets?: boolean;
}

/** logsim's text format after the service: only key=value tokens, one of them msg=. */
const isLogsimText = (tokens: Token[] | undefined) => tokens !== undefined && tokens.length > 0 && tokens.every((t) => t.key !== undefined) && tokens.some((t) => t.key === "msg");

/** The service a bracket spells, or undefined when it is not a name (`-`, empty, bad JSON). */
function bracketService(inner: string): string | undefined {
  if (!inner.startsWith('"')) return inner === "" || inner === "-" ? undefined : inner;
  try {
    return JSON.parse(inner) as string;
  } catch {
    return undefined;
  }
}

/**
 * `TIMESTAMP LEVEL [service] message key=value ...`: the generator's text
 * format, Python logging's `[asctime] LEVEL: message`, and most app logs.
 * `msg="..."` is the message when present; otherwise the words that are not key=value.
 * A `[word]` after the level is the service on logsim's own lines (only key=value
 * tokens follow, with a msg=) or with `serviceBrackets`; elsewhere it is part of the
 * message (Java's `[main]` is a thread; a message may well start with `[word]`).
 */
export function plainTextParser(options: PlainTextOptions = {}): LineParser {
  return withUtf8Check((line, env) => {
    const head = TEXT_HEAD.exec(line.text);
    if (!head) return fail("not TIMESTAMP LEVEL [service] message");
    const time = parseTime(head[1], env.now, env.zone, env.seconds);
    if (time === undefined) return fail("invalid timestamp");
    const level = levelOf(head[2]);
    if (!level) return fail(`unknown level "${head[2]!.slice(0, 20)}"`);
    let rest = line.text.slice(head[0].length);
    let tokens: Token[] | undefined;
    let service: string | undefined;
    const bracket = BRACKET.exec(rest);
    if (bracket) {
      const after = rest.slice(bracket[0].length);
      const afterTokens = kvTokens(after);
      const quoted = bracket[1]!.startsWith('"');
      if ((options.serviceBrackets || isLogsimText(afterTokens)) && (!quoted || bracketService(bracket[1]!) !== undefined)) {
        service = bracketService(bracket[1]!);
        rest = after;
        tokens = afterTokens;
      }
    }
    tokens ??= kvTokens(rest);
    if (!tokens) return fail("unterminated quoted value");
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    let message: string | undefined;
    let tags: string[] | undefined;
    for (const t of tokens) {
      if (t.key === undefined) words.push(t.value);
      else if (t.key === "msg" || t.key === "message") message = t.value;
      else if (t.key === "tags") tags = t.value.split(",").filter(Boolean);
      else setField(fields, TEXT_LONG_NAMES.get(t.key) ?? t.key, typed(t.value));
    }
    // Without msg=, a free-text message keeps its own spacing and any key=value in it.
    if (message === undefined) message = words.length > 0 || Object.keys(fields).length === 0 ? rest.trim() : "";
    else if (words.length > 0) fields.text = words.join(" ");
    const record = base(line, "plain-text", time, level, message);
    if (service !== undefined) record.service = service;
    if (Object.keys(fields).length > 0) record.fields = fields;
    if (tags) record.tags = [...tags, ...(record.tags ?? [])];
    return ok(record);
  });
}

export const parsePlainText: LineParser = plainTextParser();

export const plainText = definePlugin({
  kind: "parser",
  name: "plain-text",
  description: "Parses TIMESTAMP LEVEL [service] message key=value lines (the generator's text format, Python logging)",
  schema: z.strictObject({
    serviceBrackets: z
      .boolean({ error: "expected true or false" })
      .default(false)
      .describe("A [word] after the level is always the service; by default only on logsim's own text lines (key=value tokens with msg=), elsewhere it stays in the message"),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const parse = plainTextParser(options);
    const { tick } = parseEnv(options.timezone, ctx);
    return { parse: (line) => parse(line, tick(line)) };
  },
});
