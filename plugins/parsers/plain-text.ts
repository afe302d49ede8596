/** `plain-text`: `TIMESTAMP LEVEL [service] message key=value ...`, the generator's text format and most app logs. */
import { ok } from "neverthrow";
import { base, fail, kvTokens, levelOf, parseTime, setField, typed, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

/** The generator's short names in its text format. */
const TEXT_LONG_NAMES = new Map([["user", "user_id"], ["session", "session_token"], ["req", "request_id"]]);

const TEXT_HEAD =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+\[?([A-Za-z]+)\]?:?(?:\s+\[([^\]\s]*)\]:?)?(?:\s+|$)/;

/**
 * `TIMESTAMP LEVEL [service] message key=value ...`: the generator's text
 * format, Python logging's `[asctime] LEVEL: message`, and most app logs.
 * `msg="..."` is the message when present; otherwise the words that are not key=value.
 */
export const parsePlainText: LineParser = withUtf8Check((line, env) => {
  const head = TEXT_HEAD.exec(line.text);
  if (!head) return fail("not TIMESTAMP LEVEL [service] message");
  const time = parseTime(head[1], env.now, env.zone);
  if (time === undefined) return fail("invalid timestamp");
  const level = levelOf(head[2]);
  if (!level) return fail(`unknown level "${head[2]!.slice(0, 20)}"`);
  const rest = line.text.slice(head[0].length);
  const tokens = kvTokens(rest);
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
  if (head[3] && head[3] !== "-") record.service = head[3];
  if (Object.keys(fields).length > 0) record.fields = fields;
  if (tags) record.tags = [...tags, ...(record.tags ?? [])];
  return ok(record);
});

export const plainText = lineParserPlugin("plain-text", "Parses TIMESTAMP LEVEL [service] message key=value lines (the generator's text format, Python logging)", parsePlainText);
