/**
 * The line formats as pure functions `(line, now) => Result<LogRecord, ParseIssue>`.
 * The parser plugins (mod.ts) wrap them; `auto` tries them in order.
 */
import { ok } from "neverthrow";
import type { RawLine } from "../../core/types.ts";
import { badUtf8, base, fail, fromObject, kvTokens, levelOf, parseTime, setField, typed, type ParseResult } from "./_common.ts";

export type LineParser = (line: RawLine, now: number) => ParseResult;

const withUtf8Check = (parse: LineParser): LineParser => (line, now) => (badUtf8(line) ? fail("invalid UTF-8") : parse(line, now));

/** One JSON object per line. A line that is JSON but not an object is an error. */
export const parseJson: LineParser = withUtf8Check((line, now) => {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return fail("invalid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("JSON is not an object");
  return fromObject(value as Record<string, unknown>, line, "json", now);
});

/** The generator's short names in its text format. */
const TEXT_LONG_NAMES = new Map([["user", "user_id"], ["session", "session_token"], ["req", "request_id"]]);

const TEXT_HEAD =
  /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s+\[?([A-Za-z]+)\]?:?(?:\s+\[([^\]\s]*)\]:?)?(?:\s+|$)/;

/**
 * `TIMESTAMP LEVEL [service] message key=value ...`: the generator's text
 * format, Python logging's `[asctime] LEVEL: message`, and most app logs.
 * `msg="..."` is the message when present; otherwise the words that are not key=value.
 */
export const parsePlainText: LineParser = withUtf8Check((line, now) => {
  const head = TEXT_HEAD.exec(line.text);
  if (!head) return fail("not TIMESTAMP LEVEL [service] message");
  const time = parseTime(head[1], now);
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

/** logfmt: only `key=value` pairs (bare words mean it is not logfmt). */
export const parseLogfmt: LineParser = withUtf8Check((line, now) => {
  const tokens = kvTokens(line.text);
  if (!tokens) return fail("unterminated quoted value");
  if (tokens.length === 0) return fail("empty line");
  const obj: Record<string, unknown> = {};
  for (const t of tokens) {
    if (t.key === undefined) return fail("not logfmt: bare words");
    setField(obj, t.key, typed(t.value));
  }
  for (const k of ["msg", "message", "level", "time", "ts", "service", "tags"]) if (typeof obj[k] === "number" || typeof obj[k] === "boolean") obj[k] = String(obj[k]);
  return fromObject(obj, line, "logfmt", now);
});

const APACHE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?$/;
const unescapeApache = (s: string) => s.replace(/\\x([0-9a-fA-F]{2})|\\(["\\])/g, (_, hex, c) => (hex ? String.fromCharCode(parseInt(hex, 16)) : c));

/** Apache/nginx combined (and common) log format. Level from the status: 5xx ERROR, 4xx WARN. */
export const parseApache: LineParser = withUtf8Check((line, now) => {
  const m = APACHE.exec(line.text);
  if (!m) return fail("not Apache/nginx combined format");
  const time = parseTime(m[4], now);
  if (time === undefined) return fail("invalid timestamp");
  const request = unescapeApache(m[5]!);
  const status = m[6] === "-" ? undefined : Number(m[6]);
  const level = status === undefined ? "INFO" : status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
  const fields: Record<string, unknown> = {};
  const put = (k: string, v: string | undefined, t = false) => {
    if (v !== undefined && v !== "-" && v !== "") fields[k] = t ? typed(v) : v;
  };
  put("ip", m[1]);
  put("ident", m[2]);
  put("user_id", m[3]);
  const [method, path, protocol] = request.split(" ");
  if (request !== "-") {
    put("method", method);
    put("path", path);
    put("protocol", protocol);
  }
  if (status !== undefined) fields.status = status;
  put("bytes", m[7], true);
  put("referer", m[8] === undefined ? undefined : unescapeApache(m[8]));
  put("user_agent", m[9] === undefined ? undefined : unescapeApache(m[9]));
  const record = base(line, "apache", time, level, request);
  record.fields = fields;
  return ok(record);
});

const SEVERITY_LEVEL = ["FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"] as const;
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}) (\S+) ([^:[\s]+)(?:\[([^\]]*)\])?: ?/;

/** Structured data `[id k="v" ...]...` at `at`; returns its params and where the message starts, or undefined. */
function structuredData(text: string, at: number): { params: Record<string, unknown>; next: number } | undefined {
  const params: Record<string, unknown> = {};
  if (text[at] === "-") return { params, next: at + 1 };
  let i = at;
  while (text[i] === "[") {
    i++;
    while (i < text.length && text[i] !== " " && text[i] !== "]") i++; // SD-ID
    while (text[i] === " ") {
      i++;
      const eq = text.indexOf("=", i);
      if (eq < 0 || text[eq + 1] !== '"') return undefined;
      const name = text.slice(i, eq);
      let value = "";
      let j = eq + 2;
      for (; j < text.length && text[j] !== '"'; j++) value += text[j] === "\\" && /["\\\]]/.test(text[j + 1] ?? "") ? text[++j] : text[j];
      if (j >= text.length) return undefined;
      setField(params, name, typed(value));
      i = j + 1;
    }
    if (text[i] !== "]") return undefined;
    i++;
  }
  return i === at ? undefined : { params, next: i };
}

/** Syslog RFC 5424, and RFC 3164 (BSD; with or without `<PRI>`). */
export const parseSyslog: LineParser = withUtf8Check((line, now) => {
  const text = line.text;
  const m = RFC5424.exec(text);
  if (m) {
    const pri = Number(m[1]);
    const time = m[2] === "-" ? now : parseTime(m[2], now);
    if (time === undefined) return fail("invalid timestamp");
    const sd = structuredData(text, m[0].length);
    if (!sd) return fail("invalid syslog structured data");
    const fields = sd.params;
    let tags: string[] | undefined;
    if (typeof fields.tags === "string") {
      tags = fields.tags.split(",").filter(Boolean);
      delete fields.tags;
    }
    if (m[3] !== "-") fields.host = m[3];
    if (m[5] !== "-") fields.procid = typed(m[5]!);
    if (m[6] !== "-") fields.event = m[6];
    const message = text.slice(sd.next).replace(/^ /, "").replace(/^\uFEFF/, "");
    const record = base(line, "syslog", time, SEVERITY_LEVEL[pri % 8]!, message);
    if (m[4] !== "-") record.service = m[4];
    if (Object.keys(fields).length > 0) record.fields = fields;
    if (tags) record.tags = [...tags, ...(record.tags ?? [])];
    return ok(record);
  }
  const b = RFC3164.exec(text);
  if (!b) return fail("not syslog (RFC 5424 or 3164)");
  const time = parseTime(b[2]!.replace(/ +/, " "), now);
  if (time === undefined) return fail("invalid timestamp");
  const record = base(line, "syslog", time, b[1] === undefined ? "INFO" : SEVERITY_LEVEL[Number(b[1]) % 8]!, text.slice(b[0].length));
  record.service = b[4];
  record.fields = { host: b[3], ...(b[5] ? { procid: typed(b[5]) } : {}) };
  return ok(record);
});

/** `auto`: tries the formats in this order, per line. CSV is left out: it needs its header. */
export const AUTO_ORDER: ReadonlyArray<[string, LineParser]> = [
  ["json", parseJson],
  ["syslog", parseSyslog],
  ["apache", parseApache],
  ["plain-text", parsePlainText],
  ["logfmt", parseLogfmt],
];

export const parseAuto: LineParser = (line, now) => {
  if (badUtf8(line)) return fail("invalid UTF-8");
  const c = line.text[0];
  for (const [name, parse] of AUTO_ORDER) {
    // Cheap first-character checks skip formats that cannot match.
    if (name === "json" && c !== "{") continue;
    const result = parse(line, now);
    if (result.isOk()) return result;
  }
  return fail("unrecognized format");
};
