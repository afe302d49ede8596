/**
 * Line templates in Python logging's `%(name)s` syntax, compiled once into a
 * list of parts so formatting a record does no parsing.
 *
 * Known names: asctime, levelname, levelno, message, name (the service),
 * created, msecs, isotime, fields (the record's fields as key=value), tags.
 * Any other name is looked up in the record's fields.
 */
import type { LogRecord } from "./types.ts";
import { LEVEL_RANK } from "./types.ts";

/**
 * The template sinks use when none is given: Python logging's `[%(asctime)s] %(levelname)s: %(message)s`.
 *
 * @example
 * const schema = z.strictObject({ format: lineFormat(DEFAULT_TEMPLATE) });
 */
export const DEFAULT_TEMPLATE = "[%(asctime)s] %(levelname)s: %(message)s";

type Part = string | ((record: LogRecord) => string);

export const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
/** `000` to `999`, and the same with a `Z`: the millisecond part of a time, looked up instead of built per record. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => pad3(i));
const MILLIS_Z = MILLIS.map((m) => `${m}Z`);

/**
 * A timestamp formatter that renders the part up to the second once per second
 * (records come in time order, so most calls reuse it) and appends the
 * milliseconds from `millis` (indexed 0-999; none by default).
 */
export function perSecondFormatter(render: (second: Date) => string, millis?: readonly string[]): (ms: number) => string {
  let second = NaN;
  let prefix = "";
  let lastMs = NaN;
  let last = "";
  return (ms) => {
    if (ms === lastMs) return last;
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      prefix = render(new Date(s * 1000));
      second = s;
    }
    lastMs = ms;
    last = millis ? prefix + millis[Math.floor(ms - s * 1000)]! : prefix; // floor: a time may have fractions of a ms
    return last;
  };
}

/** Python's asctime, `2026-11-25 10:00:00,123`, in local time. */
const asctimeFormatter = () =>
  perSecondFormatter(
    (d) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())},`,
    MILLIS,
  );

/**
 * A formatter of ISO 8601 UTC times with milliseconds (`2026-01-01T00:00:00.000Z`), rendering each second once.
 * Make one per sink: it caches the last second.
 *
 * @example
 * const iso = isoTimeFormatter();
 * iso(record.time); // "2026-11-23T10:00:00.123Z"
 */
export const isoTimeFormatter = () => perSecondFormatter((d) => d.toISOString().slice(0, 20), MILLIS_Z);

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function fieldsText(record: LogRecord): string {
  const fields = record.fields;
  if (!fields) return "";
  let out = "";
  for (const key in fields) {
    const value = stringify(fields[key]);
    out += `${out ? " " : ""}${key}=${/[\s"=]/.test(value) || value === "" ? JSON.stringify(value) : value}`;
  }
  return out;
}

function getter(name: string): (record: LogRecord) => string {
  switch (name) {
    case "asctime": {
      const format = asctimeFormatter();
      return (r) => format(r.time);
    }
    case "isotime": {
      const format = isoTimeFormatter();
      return (r) => format(r.time);
    }
    case "levelname":
      return (r) => r.level;
    case "levelno":
      return (r) => String(LEVEL_RANK[r.level]);
    case "message":
      return (r) => r.message;
    case "name":
    case "service":
      return (r) => r.service ?? "logsim";
    case "created":
      return (r) => (r.time / 1000).toFixed(3);
    case "msecs":
      return (r) => String(r.time % 1000);
    case "fields":
      return fieldsText;
    case "tags":
      return (r) => (r.tags ?? []).join(",");
    default:
      return (r) => stringify(r.fields?.[name]);
  }
}

const TOKEN = /%%|%\((\w+)\)(-?)(\d*)(?:\.(\d+))?([sdfr])/g;

/**
 * Compiles a template into a formatter. Throws a RangeError naming the first malformed `%` directive.
 *
 * @example
 * const line = compileTemplate("%(asctime)s %(levelname)-5s %(name)s: %(message)s user=%(user_id)s");
 * line(record); // "2026-11-23 10:00:00,123 INFO  auth: logged in user=u-1"
 */
export function compileTemplate(template: string): (record: LogRecord) => string {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(TOKEN)) {
    const between = template.slice(last, match.index);
    if (/%(?!\()/.test(between.replace(/%%/g, ""))) throw new RangeError(`malformed directive near "${between.slice(between.indexOf("%"), between.indexOf("%") + 12)}"`);
    if (between) parts.push(between);
    last = match.index + match[0].length;
    if (match[0] === "%%") {
      parts.push("%");
      continue;
    }
    const [, name, left, width, precision, type] = match;
    let get = getter(name!);
    if (type === "f" && precision) {
      const inner = get;
      get = (r) => Number(inner(r)).toFixed(Number(precision));
    }
    if (width) {
      const inner = get;
      const w = Number(width);
      get = left ? (r) => inner(r).padEnd(w) : (r) => inner(r).padStart(w);
    }
    parts.push(get);
  }
  const rest = template.slice(last);
  if (/%\(/.test(rest)) throw new RangeError(`malformed directive near "${rest.slice(rest.indexOf("%("), rest.indexOf("%(") + 16)}"`);
  if (rest) parts.push(rest);
  return (record) => {
    let out = "";
    for (const part of parts) out += typeof part === "string" ? part : part(record);
    return out;
  };
}
