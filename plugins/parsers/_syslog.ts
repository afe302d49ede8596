/**
 * What the syslog parser reads besides the header: PRI names, and RFC 5424 structured data.
 *
 * Structured data is kept whole: each SD element becomes a field named by its SD-ID holding an
 * object of its parameters (`[exampleSDID@32473 iut="3"]` -> `{"exampleSDID@32473": {"iut": 3}}`,
 * as Vector's parse_syslog has it); a parameter written more than once in an element keeps every
 * value, in order, as an array (`[x@1 ip="a" ip="b"]` -> `{"x@1": {"ip": ["a", "b"]}}`); an SD-ID
 * written more than once (RFC 5424 forbids it, senders do it) becomes an array of its elements'
 * objects (`[x@1 a="1"][x@1 a="2"]` -> `{"x@1": [{"a": 1}, {"a": 2}]}`). logsim's own element
 * `logsim@32473` is the record's fields, flattened, as the syslog line writer puts them there.
 */
import type { Level } from "../../core/mod.ts";
import { fieldName, setField, typed } from "./_common.ts";

/** RFC 5424 severities 0-7, by the names rsyslog and Vector use. */
export const SEVERITY_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;
/** RFC 5424 facilities 0-23, by the names rsyslog and Vector use. */
export const FACILITY_NAMES = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
] as const;
const SEVERITY_LEVEL: readonly Level[] = ["FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"];
/** The level of a PRI (or a journald PRIORITY): its severity, emerg/alert/crit FATAL ... debug DEBUG. */
export const priLevel = (pri: number): Level => SEVERITY_LEVEL[pri & 7]!;

/** logsim's own SD-ID (core/line-formats/syslog.ts): its parameters are the record's fields. */
export const OWN_SD_ID = "logsim@32473";

const isNameChar = (c: number) => c > 32 && c < 127 && c !== 61 /* = */ && c !== 93 /* ] */ && c !== 34; /* " */

/** Adds `value` under `name`, turning a repeated name into an array of every value. */
function addParam(params: Record<string, unknown>, name: string, value: unknown, seen: Set<string> | undefined): Set<string> | undefined {
  if (!Object.hasOwn(params, name)) {
    setField(params, name, value);
    return seen;
  }
  seen ??= new Set();
  const prev = params[name];
  if (seen.has(name)) (prev as unknown[]).push(value);
  else {
    seen.add(name);
    setField(params, name, [prev, value]);
  }
  return seen;
}

/**
 * A quoted PARAM-VALUE whose opening quote is at `open`: its text (RFC 5424 escapes `\"`, `\\`,
 * `\]`; a backslash before anything else stays; `own` also reads logsim's `\n` and `\r`) and the
 * index after the closing quote, or undefined when unterminated.
 */
function paramValue(text: string, open: number, own: boolean): { value: string; next: number } | undefined {
  let start = open + 1;
  let value = "";
  for (let j = start; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34 /* " */) return { value: value + text.slice(start, j), next: j + 1 };
    if (c !== 92 /* \\ */) continue;
    const d = text[j + 1];
    const unescaped = d === '"' || d === "\\" || d === "]" ? d : own && d === "n" ? "\n" : own && d === "r" ? "\r" : undefined;
    if (unescaped === undefined) continue; // A backslash before anything else is itself.
    value += text.slice(start, j) + unescaped;
    start = ++j + 1;
  }
  return undefined;
}

export interface StructuredData {
  /** The SD-IDs other than logsim's, in order, each with its parameters (an SD-ID may repeat). */
  elements: Array<[id: string, params: Record<string, unknown>]>;
  /** logsim's own element's `tags` parameter. */
  tags?: string[];
  /** Index after the last element. */
  next: number;
}

/**
 * The SD elements `[id name="value" ...]...` starting at `at` (which holds `[`), or undefined when
 * they are not well formed. logsim's own element's parameters go straight into `own` (the record's
 * fields; written there directly as this is the generator's hot path), the others are returned.
 * Spaces around `=` are allowed (Vector's example has `eventSource= "x"`).
 */
export function parseStructuredData(text: string, at: number, own: Record<string, unknown>): StructuredData | undefined {
  const sd: StructuredData = { elements: [], next: at };
  let i = at;
  let ownSeen: Set<string> | undefined;
  while (text.charCodeAt(i) === 91 /* [ */) {
    const idStart = ++i;
    while (isNameChar(text.charCodeAt(i))) i++;
    if (i === idStart) return undefined;
    const id = text.slice(idStart, i);
    const isOwn = id === OWN_SD_ID;
    const params: Record<string, unknown> = isOwn ? own : {};
    let seen = isOwn ? ownSeen : undefined;
    while (text.charCodeAt(i) === 32) {
      while (text.charCodeAt(i) === 32) i++;
      if (text.charCodeAt(i) === 93) break; // `[id a="1" ]`
      const nameStart = i;
      while (isNameChar(text.charCodeAt(i))) i++;
      if (i === nameStart) return undefined;
      const name = text.slice(nameStart, i);
      while (text.charCodeAt(i) === 32) i++;
      if (text.charCodeAt(i) !== 61) return undefined;
      i++;
      while (text.charCodeAt(i) === 32) i++;
      if (text.charCodeAt(i) !== 34) return undefined;
      const v = paramValue(text, i, isOwn);
      if (!v) return undefined;
      if (isOwn && name === "tags") sd.tags = v.value.split(",").filter(Boolean);
      else seen = addParam(params, name, typed(v.value), seen);
      i = v.next;
    }
    if (text.charCodeAt(i) !== 93) return undefined;
    i++;
    if (isOwn) ownSeen = seen;
    else sd.elements.push([id, params]);
  }
  sd.next = i;
  return i === at ? undefined : sd;
}

/**
 * Puts the SD elements other than logsim's into a record's fields: each SD-ID a field of its own
 * (renamed with `_` before it when it is named like a record key or a header field, see
 * fieldName), an SD-ID written more than once an array of its elements' parameters.
 */
export function putStructuredData(fields: Record<string, unknown>, sd: StructuredData): void {
  let names: Map<string, string> | undefined;
  for (const [id, params] of sd.elements) {
    const name = names?.get(id);
    if (name === undefined) {
      const key = fieldName(fields, id);
      setField(fields, key, params);
      (names ??= new Map()).set(id, key);
    } else {
      const prev = fields[name];
      if (Array.isArray(prev)) prev.push(params);
      else setField(fields, name, [prev, params]);
    }
  }
}
