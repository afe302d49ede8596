/** What every parser shares: timestamp and level normalisation, value typing, key=value tokens, record assembly. */
import { err, ok, type Result } from "neverthrow";
import { normalizeLevel } from "../../core/config/fields.ts";
import type { ParseIssue } from "../../core/plugin.ts";
import type { Level, LogRecord, RawLine } from "../../core/types.ts";

export type ParseResult = Result<LogRecord, ParseIssue>;
export const fail = (reason: string): ParseResult => err({ reason });

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{4})$/;
const BSD = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2})$/;
const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };

/** Milliseconds since the epoch from ISO 8601 (no zone = UTC), Apache `10/Oct/2000:13:55:36 -0700`, BSD syslog `Oct 11 22:14:15` (this year, UTC), or epoch seconds/ms. */
export function parseTime(value: unknown, now = Date.now()): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? (value > 1e11 ? value : value * 1000) : undefined;
  if (typeof value !== "string") return undefined;
  // The common case, already canonical (2026-01-01T00:00:00.000Z): Date.parse reads it exactly.
  if (value.length === 24 && CANONICAL.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  let m = ISO.exec(value);
  if (m) {
    const zone = !m[4] || m[4].toUpperCase() === "Z" ? "Z" : m[4].includes(":") ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
    const ms = Date.parse(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}.${(m[3] ?? "0").slice(0, 3).padEnd(3, "0")}${zone}`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if ((m = CLF.exec(value))) {
    const month = MONTHS[m[2]!];
    const ms = month ? Date.parse(`${m[3]}-${month}-${m[1]}T${m[4]}${m[5]!.slice(0, 3)}:${m[5]!.slice(3)}`) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }
  if ((m = BSD.exec(value))) {
    const month = MONTHS[m[1]!];
    const ms = month ? Date.parse(`${new Date(now).getUTCFullYear()}-${month}-${m[2]!.padStart(2, "0")}T${m[3]}Z`) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (/^\d{9,13}(\.\d+)?$/.test(value)) return parseTime(Number(value));
  return undefined;
}

const NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/;

/** A text value as the type it spells: numbers and booleans typed, the rest kept as text. */
export function typed(text: string): unknown {
  if (NUMBER.test(text)) return Number(text);
  if (text === "true") return true;
  if (text === "false") return false;
  return text;
}

export interface Token {
  key?: string;
  value: string;
}

/** `key=value` and bare-word tokens; values bare or double-quoted (JSON escapes). Undefined on an unterminated quote. */
export function kvTokens(text: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== " " && text[i] !== "\t" && text[i] !== "=" && text[i] !== '"') i++;
    if (text[i] === "=" && i > start) {
      const key = text.slice(start, i++);
      if (text[i] === '"') {
        const end = closingQuote(text, i);
        if (end < 0) return undefined;
        out.push({ key, value: unquote(text.slice(i, end + 1)) });
        i = end + 1;
      } else {
        const vStart = i;
        while (i < n && text[i] !== " " && text[i] !== "\t") i++;
        out.push({ key, value: text.slice(vStart, i) });
      }
    } else if (text[i] === '"' && i === start) {
      const end = closingQuote(text, i);
      if (end < 0) return undefined;
      out.push({ value: unquote(text.slice(i, end + 1)) });
      i = end + 1;
    } else {
      while (i < n && text[i] !== " " && text[i] !== "\t") i++;
      out.push({ value: text.slice(start, i) });
    }
  }
  return out;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1).replace(/\\(["\\])/g, "$1");
  }
}

export const TIME_KEYS = ["timestamp", "time", "ts", "@timestamp", "datetime", "date"];
export const LEVEL_KEYS = ["level", "severity", "lvl", "levelname", "log.level"];
export const SERVICE_KEYS = ["service", "app", "application", "service.name"];
export const MESSAGE_KEYS = ["message", "msg", "text"];

const first = (obj: Record<string, unknown>, keys: string[]): [string, unknown] | undefined => {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== "") return [k, obj[k]];
  return undefined;
};

/** pino's and bunyan's numeric levels (10 trace ... 60 fatal); syslog severities are strings here. */
function numericLevel(n: number): Level | undefined {
  if (!Number.isInteger(n) || n < 10 || n > 60) return undefined;
  return n < 30 ? "DEBUG" : n < 40 ? "INFO" : n < 50 ? "WARN" : n < 60 ? "ERROR" : "FATAL";
}

/** A level from any common spelling or pino/bunyan number; INFO when absent; undefined when present but unknown. */
export function levelOf(value: unknown): Level | undefined {
  if (value === undefined) return "INFO";
  if (typeof value === "number") return numericLevel(value);
  return typeof value === "string" ? (normalizeLevel(value) ?? (/^\d+$/.test(value) ? numericLevel(Number(value)) : undefined)) : undefined;
}

/**
 * A record from a flat object of fields (json, logfmt, csv, regex groups): the
 * time, level, service and message keys become the record's own, the rest stay fields.
 * Takes `obj` over (every parser builds a fresh one per line): it becomes the fields, not a copy.
 */
export function fromObject(obj: Record<string, unknown>, line: RawLine, parser: string, now: number): ParseResult {
  const rest = obj;
  const time = first(obj, TIME_KEYS);
  let ms = now;
  if (time) {
    const parsed = parseTime(time[1], now);
    if (parsed === undefined) return fail(`invalid timestamp "${String(time[1]).slice(0, 40)}"`);
    ms = parsed;
    delete rest[time[0]];
  }
  const lv = first(obj, LEVEL_KEYS);
  const level = levelOf(lv?.[1]);
  if (!level) return fail(`unknown level "${String(lv![1]).slice(0, 20)}"`);
  if (lv) delete rest[lv[0]];
  const svc = first(obj, SERVICE_KEYS);
  if (svc) delete rest[svc[0]];
  const msg = first(obj, MESSAGE_KEYS);
  if (msg) delete rest[msg[0]];
  let tags: string[] | undefined;
  if (Array.isArray(rest.tags)) tags = rest.tags.map(String);
  else if (typeof rest.tags === "string") tags = rest.tags.split(",").filter(Boolean);
  delete rest.tags;
  delete rest.origin; // Re-collecting collected output: the new origin wins.
  const record = base(line, parser, ms, level, msg === undefined ? "" : typeof msg[1] === "string" ? msg[1] : JSON.stringify(msg[1]));
  if (svc) record.service = String(svc[1]);
  if (Object.keys(rest).length > 0) record.fields = rest;
  if (tags && tags.length > 0) record.tags = [...tags, ...(record.tags ?? [])];
  return ok(record);
}

/** The record shell every parser fills: origin (file, byte offset, parser), raw line, flags as tags. */
export function base(line: RawLine, parser: string, time: number, level: Level, message: string): LogRecord {
  const record: LogRecord = { time, level, message, raw: line.text, origin: { ...line.origin, parser } };
  if (line.truncated || line.partial) record.tags = [...(line.truncated ? ["_truncated"] : []), ...(line.partial ? ["_partial"] : [])];
  return record;
}

/** Lines the tailer decoded with replacement characters held invalid UTF-8: corrupt, so not parsed. */
export const badUtf8 = (line: RawLine): boolean => line.text.includes("\uFFFD");

