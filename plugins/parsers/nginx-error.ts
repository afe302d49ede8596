/**
 * `nginx-error`: nginx's error log, `2026/03/07 09:00:01 [error] 1234#5678: *9 message, client: 1.2.3.4,
 * server: x, request: "GET / HTTP/1.1", host: "y"`. The time has no zone (it is the server's
 * local time): it is read in the parser's `timezone`. The `key: value` pairs nginx appends
 * become fields; their quoted values are not escaped by nginx (a request may hold `"`), so a
 * quote ends a value only where the line ends or the next `, key: ` starts.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, fieldName, setField, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { errorLevel } from "./_web.ts";

const HEAD = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?/;
const NEXT_KEY = /, ([a-z_]{1,32}): /y;

/** `, client: 1.2.3.4, server: x, ...` from `at` as pairs, or undefined when the text there is not such a list (of distinct keys). */
function trailerPairs(text: string, at: number): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  let p = at;
  while (p < text.length) {
    NEXT_KEY.lastIndex = p;
    const key = NEXT_KEY.exec(text);
    if (!key) return undefined;
    p = NEXT_KEY.lastIndex;
    const quoted = text[p] === '"';
    const end = quoted ? closingQuote(text, p + 1) : nextKey(text, p);
    if (end < 0) return undefined;
    // A key seen twice means this ", client: " was inside the message (a path), not the list.
    if (pairs.length >= 32 || pairs.some(([k]) => k === key[1])) return undefined;
    pairs.push([key[1]!, text.slice(quoted ? p + 1 : p, end)]);
    p = quoted ? end + 1 : end;
  }
  return pairs;
}

const keyAt = (text: string, at: number) => ((NEXT_KEY.lastIndex = at), NEXT_KEY.test(text));

/** The `"` that ends a quoted value: the last character, or one followed by `, key: `; -1 if none. */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
    if (q === text.length - 1 || keyAt(text, q + 1)) return q;
  }
  return -1;
}

/** Where an unquoted value ends: the next `, key: ` or the end of the line. */
function nextKey(text: string, from: number): number {
  for (let c = text.indexOf(", ", from); c >= 0; c = text.indexOf(", ", c + 1)) if (keyAt(text, c)) return c;
  return text.length;
}

/** The nginx error log. Levels: emerg/alert/crit FATAL, error ERROR, warn WARN, notice/info INFO, debug DEBUG. */
export const parseNginxError: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  const m = HEAD.exec(text);
  if (!m) return fail("not an nginx error log line (expected 'YYYY/MM/DD HH:MM:SS [level] pid#tid: ')");
  const level = errorLevel(m[7]!);
  if (!level) return fail(`unknown nginx error level "${m[7]}"`);
  const time = wallTime(env.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
  if (time === undefined) return fail("invalid timestamp");
  const fields: Record<string, unknown> = { severity: m[7], pid: Number(m[8]), tid: Number(m[9]) };
  if (m[10] !== undefined) fields.connection = Number(m[10]);
  const start = m[0].length;
  // The pairs start at the first ", client: " (nginx writes client first) followed by a well-formed
  // list; a few are tried (a message may quote the words), not all, so no line costs more than a few passes.
  let message = text.slice(start);
  let tries = 0;
  for (let at = text.indexOf(", client: ", start); at >= 0 && tries++ < 4; at = text.indexOf(", client: ", at + 1)) {
    const pairs = trailerPairs(text, at);
    if (!pairs) continue;
    message = text.slice(start, at);
    for (const [key, value] of pairs) setField(fields, fieldName(fields, key === "referrer" ? "referer" : key), value);
    break;
  }
  const record = base(line, "nginx-error", time, level, message);
  record.fields = fields;
  return ok(record);
});

export const nginxError = lineParserPlugin("nginx-error", "Parses nginx error logs; their times are read in `timezone`", parseNginxError);
