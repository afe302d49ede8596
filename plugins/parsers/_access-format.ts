/**
 * Access-log formats as data (literal text and variables, from an nginx `log_format` or an Apache
 * `LogFormat`) compiled once into a scanner: each variable's value runs to the first occurrence of
 * the literal after it (a quote escaped with a backslash does not end a quoted value), or has a
 * shape of its own (a CLF time, an upstream time list). No user regex is built, so no format,
 * however hostile, can make a line cost more than a pass over it; a line that does not fit says
 * where it stopped fitting.
 */
import { err, ok, type RawLine, type Result } from "../../core/mod.ts";
import { base, fail, parseTime, RECORD_KEYS, setField, typed, type ParseEnv, type ParseResult } from "./_common.ts";
import { clfTime, epochSeconds, putRequestParts, statusLevel, unescapeLogValue } from "./_web.ts";

/** How a variable's value is read and typed. */
export type Kind =
  | "text" // kept as written, escapes undone
  | "auto" // numbers and booleans typed, the rest text
  | "int"
  | "number"
  | "numbers" // nginx's upstream lists: "0.001, 0.002 : 0.010"
  | "status"
  | "request" // the message; split into method, path, protocol
  | "time-clf" // 10/Oct/2000:13:55:36 -0700
  | "time-clf-bracketed" // Apache's %t: the same in [ ]
  | "time-iso"
  | "time-s" // epoch seconds, with a fraction or not
  | "time-ms"
  | "time-us"
  | "time-any"; // any time parseTime reads (Apache's %{strftime}t); kept as a field when it is none

export interface Variable {
  /** As the format writes it, for messages: `$status`, `%>s`. */
  readonly label: string;
  /** The field it fills (request and times fill the record's own parts). */
  readonly field: string;
  readonly kind: Kind;
}

export type Segment = string | Variable;

interface Step {
  readonly literal?: string;
  readonly v?: Variable;
  /** The literal after a variable: where its value ends. */
  readonly stop?: string;
}

export interface AccessFormat {
  readonly steps: readonly Step[];
}

export const MAX_FORMAT_LENGTH = 4096;
export const MAX_VARIABLES = 128;

const FIELDLESS: ReadonlySet<Kind> = new Set(["request", "time-clf", "time-clf-bracketed", "time-iso", "time-s", "time-ms", "time-us"]);

/** The name of a variable in a merged field: nginx's own (`$request_uri` -> request_uri), else its field or its label without sigils. */
const nameOf = (v: Variable) => (/^\$\w+$/.test(v.label) ? v.label.slice(1) : v.field || v.label.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, ""));

/**
 * A format from its segments: adjacent literals joined; adjacent variables (`$host$request_uri`),
 * which no scanner can tell apart, read as one text field named after both (`host_request_uri`);
 * field names made unique (a second `ip` becomes `_ip`).
 */
export function compileSegments(segments: readonly Segment[]): Result<AccessFormat, string> {
  const merged: Segment[] = [];
  for (const s of segments) {
    const prev = merged[merged.length - 1];
    if (typeof s === "string") {
      if (s === "") continue;
      if (typeof prev === "string") merged[merged.length - 1] = prev + s;
      else merged.push(s);
    } else if (prev !== undefined && typeof prev !== "string") {
      merged[merged.length - 1] = { label: prev.label + s.label, field: `${nameOf(prev)}_${nameOf(s)}`, kind: "text" };
    } else merged.push(s);
  }
  const variables = merged.filter((s): s is Variable => typeof s !== "string");
  if (variables.length === 0) return err("the format has no variables");
  if (variables.length > MAX_VARIABLES) return err(`the format has ${variables.length} variables; at most ${MAX_VARIABLES} are supported`);
  const used = new Set<string>(RECORD_KEYS);
  if (variables.some((v) => v.kind === "request")) for (const k of ["method", "path", "protocol"]) used.add(k);
  const steps: Step[] = merged.map((s, i) => {
    if (typeof s === "string") return { literal: s };
    const next = merged[i + 1];
    let field = s.field;
    if (!FIELDLESS.has(s.kind)) {
      while (used.has(field)) field = `_${field}`;
      used.add(field);
    }
    return { v: { ...s, field }, stop: typeof next === "string" ? next : undefined };
  });
  return ok({ steps });
}

const show = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** Where a variable's value ends, or -1. */
function valueEnd(text: string, pos: number, step: Step): number {
  switch (step.v!.kind) {
    case "time-clf":
      return pos + 26 <= text.length ? pos + 26 : -1;
    case "time-clf-bracketed": {
      if (text[pos] !== "[") return -1;
      const close = text.indexOf("]", pos);
      return close < 0 ? -1 : close + 1;
    }
    case "numbers":
      if (step.stop === undefined || step.stop[0] !== '"') return listEnd(text, pos);
  }
  const stop = step.stop;
  if (stop === undefined) return text.length;
  let at = text.indexOf(stop, pos);
  // A quote after an odd number of backslashes is part of the value (Apache writes " as \").
  if (stop[0] === '"') while (at > pos && escaped(text, at, pos)) at = text.indexOf(stop, at + 1);
  return at;
}

/** The end of an upstream list `0.001, 0.002 : -` (numbers or `-`, split by ", " or " : "), or -1; scanned, as a regex's group repetitions would overflow on a huge line. */
function listEnd(text: string, pos: number): number {
  let end = -1;
  for (let p = pos; ; ) {
    const start = p;
    if (text[p] === "-") p++;
    else while (p < text.length && ((text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) || text[p] === ".")) p++;
    if (p === start) return end;
    end = p;
    if (text.startsWith(", ", p)) p += 2;
    else if (text.startsWith(" : ", p)) p += 3;
    else return end;
  }
}

function escaped(text: string, at: number, from: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= from && text.charCodeAt(k) === 92; k--) n++;
  return n % 2 === 1;
}

const absent = (raw: string) => raw === "-" || raw === "";
const INT = /^\d{1,15}$/;
const NUM = /^\d{1,15}(?:\.\d+)?$/;

/** What a line's variables give the record, beyond its fields. */
interface Parts {
  time?: number;
  status?: unknown;
  request?: string;
}

/** Stores one value; an error message when a time is not one. */
function store(v: Variable, raw: string, fields: Record<string, unknown>, parts: Parts, env: ParseEnv): string | undefined {
  switch (v.kind) {
    case "request":
      parts.request ??= unescapeLogValue(raw);
      if (!absent(raw)) putRequestParts(fields, parts.request);
      return undefined;
    case "time-clf":
    case "time-clf-bracketed":
    case "time-iso":
    case "time-s":
    case "time-ms":
    case "time-us":
    case "time-any": {
      const t = readTime(v.kind, raw, env);
      if (t === undefined) {
        if (v.kind !== "time-any") return `invalid time in ${v.label}: ${show(raw)}`;
        if (!absent(raw)) setField(fields, v.field, raw);
      } else if (v.kind === "time-s" || v.kind === "time-ms" || v.kind === "time-us") parts.time = t; // $msec is the most precise
      else parts.time ??= t;
      return undefined;
    }
  }
  if (absent(raw)) return undefined;
  let value: unknown;
  switch (v.kind) {
    case "int":
    case "status":
      value = INT.test(raw) ? Number(raw) : unescapeLogValue(raw);
      if (v.kind === "status") parts.status ??= value;
      break;
    case "number":
      value = NUM.test(raw) ? Number(raw) : unescapeLogValue(raw);
      break;
    case "numbers":
      value = upstreamList(raw);
      break;
    case "auto":
      value = typed(unescapeLogValue(raw));
      break;
    default:
      value = unescapeLogValue(raw);
  }
  setField(fields, v.field, value);
  return undefined;
}

function readTime(kind: Kind, raw: string, env: ParseEnv): number | undefined {
  switch (kind) {
    case "time-clf":
      return clfTime(raw);
    case "time-clf-bracketed":
      return clfTime(raw.slice(1, -1));
    case "time-s":
      return epochSeconds(raw);
    case "time-ms":
      return INT.test(raw) ? Number(raw) : undefined;
    case "time-us":
      return /^\d{1,18}$/.test(raw) ? Math.floor(Number(raw) / 1000) : undefined;
    default:
      return parseTime(raw, env.now, env.zone, env.seconds);
  }
}

/** "0.001, 0.002 : 0.010" as [0.001, 0.002, 0.01]; one value as a number; "-" entries as null. */
function upstreamList(raw: string): unknown {
  if (!raw.includes(",") && !raw.includes(" : ")) return NUM.test(raw) ? Number(raw) : raw;
  return raw.split(/, | : /).map((x) => (NUM.test(x) ? Number(x) : x === "-" ? null : x));
}

/** A line read with a compiled format, as a record: level from the status, the request as message. */
export function parseWithFormat(format: AccessFormat, line: RawLine, env: ParseEnv, parser: string): ParseResult {
  const text = line.text;
  const fields: Record<string, unknown> = {};
  const parts: Parts = {};
  let pos = 0;
  let after = "";
  for (const step of format.steps) {
    if (step.literal !== undefined) {
      if (!text.startsWith(step.literal, pos)) return fail(`expected ${show(step.literal)} at column ${pos + 1}${after}`);
      pos += step.literal.length;
      continue;
    }
    const v = step.v!;
    const end = valueEnd(text, pos, step);
    if (end < 0) return fail(step.stop === undefined ? `no ${v.label} at column ${pos + 1}` : `no ${show(step.stop)} after ${v.label} (from column ${pos + 1})`);
    const problem = store(v, text.slice(pos, end), fields, parts, env);
    if (problem) return fail(problem);
    pos = end;
    after = ` (after ${v.label})`;
  }
  if (pos !== text.length) return fail(`text after the end of the format at column ${pos + 1}`);
  const record = base(line, parser, parts.time ?? env.now, statusLevel(parts.status), parts.request ?? text);
  record.fields = fields;
  return ok(record);
}
