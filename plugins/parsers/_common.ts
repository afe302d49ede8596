/** What every parser shares: timestamp and level normalisation, value typing, key=value tokens, record assembly. */
import { err, normalizeLevel, ok, type Level, type LogRecord, type ParseIssue, type RawLine, type Result } from "../../core/mod.ts";
import { inferYear, LOCAL, offsetMinutes, type Zone } from "./_time.ts";

export type ParseResult = Result<LogRecord, ParseIssue>;
export const fail = (reason: string): ParseResult => err({ reason });
/** A line that is not a record and is skipped, counted as dropped (a CSV header, a blank line). */
export const skip = (reason: string): ParseResult => err({ reason, skip: true });

/**
 * What a parser reads a line with: the time now (the default for lines without one, and the
 * reference year of year-less formats) and the zone of times written without one.
 */
export interface ParseEnv {
  now: number;
  zone: Zone;
  /**
   * When the line's file was last modified, where the source knows it (the tail source does): the
   * reference of formats without a year or a date, as rsyslog and Vector take it. Else `now` is.
   */
  fileTime?: number;
  /** The parser instance's cache of the last canonical second it read (see parseTime); none: no caching. */
  seconds?: SecondCache;
}

/**
 * The last canonical second (`2026-01-01T00:00:00.`) Date.parse read, and its time: one per parser
 * instance (the lines of one stream share their seconds), never shared between instances or apps.
 */
export interface SecondCache {
  second: string;
  ms: number;
}

/** An empty cache: its second is longer than any canonical time's, so no input starts with it. */
export const secondCache = (): SecondCache => ({ second: "(no canonical time read yet)", ms: 0 });

/** An env for tests and one-off calls: now, in the machine's zone, with a cache of its own. */
export const envAt = (now: number, zone: Zone = LOCAL): ParseEnv => ({ now, zone, seconds: secondCache() });

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{4})$/;
const BSD = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;
export const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };

/** The `.mmm` of a canonical time as a number, or -1. */
function canonicalMillis(value: string): number {
  const a = value.charCodeAt(20) - 48;
  const b = value.charCodeAt(21) - 48;
  const c = value.charCodeAt(22) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9 ? a * 100 + b * 10 + c : -1;
}

/** Fractional seconds `123456` as milliseconds (123.456 is cut to 123). */
const fractionMs = (digits: string | undefined): number => (digits ? Number(digits.slice(0, 3).padEnd(3, "0")) : 0);

/** A wall-clock time with its parts as numbers: in `offset` minutes east of UTC when given, else in `zone`. Undefined when out of range. */
export function wallTime(zone: Zone, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset?: number): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  const t = offset === undefined ? zone.wallTime(y, mo, d, h, mi, s, ms) : Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  if (Number.isNaN(t)) return undefined;
  // Date rolls 31 Feb over into March: refuse days the month does not have.
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d ? t : undefined;
}

/**
 * Milliseconds since the epoch from ISO 8601 / RFC 3339 (`T` or a space, `.` or `,` before the fraction),
 * Apache `10/Oct/2000:13:55:36 -0700`, BSD syslog `Oct 11 22:14:15` (the year inferred from `now`), or
 * epoch seconds/ms. A time written without a zone is read in `zone` (the machine's by default).
 */
export function parseTime(value: unknown, now = Date.now(), zone: Zone = LOCAL, seconds?: SecondCache): number | undefined {
  if (typeof value === "number") return epochMs(value);
  if (typeof value !== "string") return undefined;
  // The common case, already canonical (2026-01-01T00:00:00.000Z): Date.parse reads it exactly,
  // once per second of log time (with a cache); the lines of that second add their milliseconds.
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */) {
    const millis = canonicalMillis(value);
    if (millis >= 0 && seconds !== undefined && value.startsWith(seconds.second)) return seconds.ms + millis;
    if (CANONICAL.test(value)) {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) return undefined;
      if (seconds !== undefined) {
        seconds.second = value.slice(0, 20);
        seconds.ms = ms - millis;
      }
      return ms;
    }
  }
  let m = ISO.exec(value);
  if (m) {
    const offset = m[8] === undefined ? undefined : offsetMinutes(m[8].toUpperCase());
    if (m[8] !== undefined && offset === undefined) return undefined;
    return wallTime(zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), fractionMs(m[7]), offset);
  }
  if ((m = CLF.exec(value))) {
    const month = MONTHS[m[2]!];
    const ms = month ? Date.parse(`${m[3]}-${month}-${m[1]}T${m[4]}${m[5]!.slice(0, 3)}:${m[5]!.slice(3)}`) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }
  if ((m = BSD.exec(value))) {
    const month = MONTHS[m[1]!];
    if (!month) return undefined;
    const day = Number(m[2]);
    const [h, mi, s] = m[3]!.split(":").map(Number) as [number, number, number];
    return wallTime(zone, inferYear(Number(month), day, now), Number(month), day, h, mi, s, fractionMs(m[4]));
  }
  if (/^\d{9,13}(\.\d+)?$/.test(value)) return parseTime(Number(value));
  return undefined;
}

/**
 * Epoch seconds (zap's `ts`, Python's `created`), milliseconds (pino, Date.now()), microseconds or
 * nanoseconds (zap's EpochNanosTimeEncoder), told apart by magnitude: each reads as 1973-5138.
 */
function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const ms = value > 1e17 ? value / 1e6 : value > 1e14 ? value / 1e3 : value > 1e11 ? value : value * 1000;
  // Beyond what a Date can hold (±8.64e15 ms, 275,760 years) it is no time: -5e306 seconds is -Infinity ms (found by fuzzing).
  return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

const MAX_DATE_MS = 8.64e15;

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

export const TIME_KEYS = ["timestamp", "time", "ts", "@timestamp", "datetime", "date", "asctime"];
export const LEVEL_KEYS = ["level", "severity", "lvl", "levelname", "log.level"];
export const SERVICE_KEYS = ["service", "app", "application", "service.name"];
/** After these, structlog's `event` when it is text (see fromObject). */
export const MESSAGE_KEYS = ["message", "msg", "text"];

const present = (value: unknown) => value !== undefined && value !== "";

/**
 * Sets a field whose name comes from log content: a `__proto__` key stays a
 * field instead of setting the prototype (log content is untrusted).
 */
export function setField(fields: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  else fields[key] = value;
}

/** The first of `keys` that `obj` has a value for (no pair allocated: this runs four times per line). */
const firstKey = (obj: Record<string, unknown>, keys: string[]): string | undefined => {
  for (const k of keys) if (present(obj[k])) return k;
  return undefined;
};

/**
 * The key of a line's service: a SERVICE_KEYS name with a value that is no object (ECS's nested
 * `service: {name}` is the ecs dialect's), or bunyan's and pino's `name`, the app's, on lines with
 * their marks (bunyan's `v: 0`, a numeric level).
 */
function serviceKeyOf(obj: Record<string, unknown>): string | undefined {
  for (const k of SERVICE_KEYS) if (present(obj[k]) && typeof obj[k] !== "object") return k;
  return typeof obj.name === "string" && obj.name !== "" && (obj.v === 0 || typeof obj.level === "number") ? "name" : undefined;
}

/** pino's and bunyan's numeric levels (10 trace ... 60 fatal); syslog severities are strings here. */
function numericLevel(n: number): Level | undefined {
  if (!Number.isInteger(n) || n < 10 || n > 60) return undefined;
  return n < 30 ? "DEBUG" : n < 40 ? "INFO" : n < 50 ? "WARN" : n < 60 ? "ERROR" : "FATAL";
}

/** A level from any common spelling or pino/bunyan number; INFO when absent; undefined when present but unknown. */
export function levelOf(value: unknown): Level | undefined {
  if (value === undefined) return "INFO";
  // Most lines spell a level exactly as logsim does: one switch, no upper-casing.
  switch (value) {
    case "INFO":
    case "DEBUG":
    case "WARN":
    case "ERROR":
    case "FATAL":
      return value as Level;
  }
  if (typeof value === "number") return numericLevel(value);
  return typeof value === "string" ? (normalizeLevel(value) ?? unusualLevel(value)) : undefined;
}

/** slog's offsets from a named level (`DEBUG+2`, `ERROR+4`, `WARN-1`: the name below, as slog writes them) and colored names. */
const OFFSET_LEVEL = /^([A-Za-z]+)[+-]\d+$/;
// eslint-disable-next-line no-control-regex -- the escape is what is matched
const ANSI = /\x1b\[[0-9;]*m/g;

/** The spellings only tried once the usual ones failed: numbers as text, slog offsets, winston's colorize() output. */
function unusualLevel(value: string): Level | undefined {
  if (/^\d+$/.test(value)) return numericLevel(Number(value));
  const offset = OFFSET_LEVEL.exec(value);
  if (offset) return normalizeLevel(offset[1]!);
  return value.charCodeAt(0) === 27 ? normalizeLevel(value.replace(ANSI, "")) : undefined;
}

/** The keys a record's JSON has of its own: a field of one of these names is renamed (see `fieldName`). */
export const RECORD_KEYS: ReadonlySet<string> = new Set(["timestamp", "level", "service", "message", "tags", "origin"]);

/**
 * The name a field gets in a record: its own, or, when that is one of the record's own keys
 * (`origin`, `level`...), the same with `_` before it until it is free, so no field a line
 * carries is overwritten or dropped.
 */
export function fieldName(fields: Record<string, unknown>, key: string): string {
  if (!RECORD_KEYS.has(key) && !Object.hasOwn(fields, key)) return key;
  let name = `_${key}`;
  while (RECORD_KEYS.has(name) || Object.hasOwn(fields, name)) name = `_${name}`;
  return name;
}

/**
 * A record from a flat object of fields (json, logfmt, csv, regex groups): the
 * time, level, service and message keys become the record's own, the rest its fields.
 * A time key whose value is not a time stays a field (the next candidate is tried); a level
 * that is no known name leaves the record at INFO and stays a field. Fields named like the
 * record's own keys are renamed with a leading `_` (`origin` -> `_origin`).
 * The fields are a copy without the promoted keys, not `obj` with keys deleted: deleting
 * turns V8 objects into slow dictionaries, and the copy is as fast on JSC.
 */
export function fromObject(obj: Record<string, unknown>, line: RawLine, parser: string, env: ParseEnv): ParseResult {
  // The usual names are looked up by name first (cheaper than by a variable key), the lists after.
  let timeKey: string | undefined;
  let ms = env.now;
  if (present(obj.timestamp)) {
    const parsed = parseTime(obj.timestamp, env.now, env.zone, env.seconds);
    if (parsed !== undefined) {
      timeKey = "timestamp";
      ms = parsed;
    }
  }
  if (timeKey === undefined) {
    for (const k of TIME_KEYS) {
      if (k === "timestamp" || !present(obj[k])) continue;
      const parsed = parseTime(obj[k], env.now, env.zone, env.seconds);
      if (parsed !== undefined) {
        timeKey = k;
        ms = parsed;
        break;
      }
    }
  }
  let levelKey = present(obj.level) ? "level" : firstKey(obj, LEVEL_KEYS);
  let level = levelOf(levelKey === undefined ? undefined : obj[levelKey]);
  if (!level) {
    levelKey = undefined; // Kept as a field: a level name logsim does not know is not a reason to lose the line.
    level = "INFO";
  }
  const serviceKey = present(obj.service) && typeof obj.service !== "object" ? "service" : serviceKeyOf(obj);
  const messageKey = present(obj.message) ? "message" : (firstKey(obj, MESSAGE_KEYS) ?? (typeof obj.event === "string" ? "event" : undefined));
  const message = messageKey === undefined ? "" : obj[messageKey];
  const record = base(line, parser, ms, level, typeof message === "string" ? message : JSON.stringify(message));
  if (serviceKey !== undefined) record.service = String(obj[serviceKey]);
  let fields: Record<string, unknown> | undefined;
  let tags: string[] | undefined;
  let renamed = false;
  for (const key in obj) {
    if (key === timeKey || key === levelKey || key === serviceKey || key === messageKey) continue;
    const value = obj[key];
    if (key === "tags" && (Array.isArray(value) || typeof value === "string")) {
      tags = Array.isArray(value) ? value.map(String) : value.split(",").filter(Boolean);
    } else {
      fields ??= {};
      // Renamed keys can only be taken by an earlier rename, so only then is every key checked.
      if (RECORD_KEYS.has(key) || renamed) {
        const name = fieldName(fields, key);
        if (name !== key) renamed = true;
        setField(fields, name, value);
      } else setField(fields, key, value);
    }
  }
  if (fields) record.fields = fields;
  if (tags && tags.length > 0) record.tags = [...tags, ...(record.tags ?? [])];
  return ok(record);
}

/**
 * The record shell every parser fills on success: origin (file, byte offset, parser), raw line, flags as tags.
 * The line is the parser's to use up: its origin gains the parser's name and becomes the record's, not a copy.
 */
export function base(line: RawLine, parser: string, time: number, level: Level, message: string): LogRecord {
  const origin = line.origin ?? {};
  origin.parser = parser;
  const record: LogRecord = { time, level, message, raw: line.text, origin };
  if (line.truncated || line.partial) record.tags = [...(line.truncated ? ["_truncated"] : []), ...(line.partial ? ["_partial"] : [])];
  return record;
}

/** Lines the tailer decoded with replacement characters held invalid UTF-8: corrupt, so not parsed. */
export const badUtf8 = (line: RawLine): boolean => line.text.includes("\uFFFD");


/** Refuses lines the tailer decoded with replacement characters before `parse` sees them. */
export const withUtf8Check =
  <E>(parse: (line: RawLine, env: E) => ParseResult) =>
  (line: RawLine, env: E): ParseResult =>
    badUtf8(line) ? fail("invalid UTF-8") : parse(line, env);
