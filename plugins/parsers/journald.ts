/**
 * `journald`: the lines of `journalctl -o json` (and of the `journald` source), one journal entry each.
 *
 * - time: `__REALTIME_TIMESTAMP` (microseconds; when journald received the entry), else
 *   `_SOURCE_REALTIME_TIMESTAMP`, else now.
 * - level: `PRIORITY` as a syslog severity (0-2 FATAL, 3 ERROR, 4 WARN, 5-6 INFO, 7 DEBUG), INFO without.
 * - service: `SYSLOG_IDENTIFIER` (the program: `sshd`, as the syslog parser names the same
 *   message), else `_SYSTEMD_UNIT`, else `_COMM`; the others stay fields.
 * - message: `MESSAGE`; journalctl writes it as an array of bytes when it is not printable UTF-8
 *   (colour escapes, binary): decoded as UTF-8, and when not valid UTF-8 the bytes are kept as
 *   the field `message_bytes`. A MESSAGE written more than once is joined with newlines.
 * - fields: `_HOSTNAME` as `host`, `_PID` as `pid`, `PRIORITY` and `SYSLOG_FACILITY` as `severity`
 *   and `facility` by name (as the syslog parser has them); every other field under its name in
 *   lower case, underscores kept (`_SYSTEMD_UNIT` -> `_systemd_unit`, `__CURSOR` -> `__cursor`):
 *   journal field names are upper-case, so nothing collides and the trusted (`_`) and address
 *   (`__`) prefixes still show. Values typed (`"812"` -> 812), byte arrays decoded when UTF-8,
 *   fields written more than once kept as arrays, null (a field over journalctl's size limit
 *   without `--all`) kept as null.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, fieldName, setField, typed, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { FACILITY_NAMES, SEVERITY_NAMES, priLevel } from "./_syslog.ts";

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const LOOSE_UTF8 = new TextDecoder("utf-8");

/** Keys read into the record itself rather than into fields. */
const PROMOTED = new Set(["MESSAGE", "PRIORITY", "SYSLOG_FACILITY", "_HOSTNAME", "_PID"]);
const SERVICE_KEYS = ["SYSLOG_IDENTIFIER", "_SYSTEMD_UNIT", "_COMM"] as const;

const isBytes = (v: unknown): v is number[] => Array.isArray(v) && v.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b < 256);

/** A byte array as UTF-8 text, or undefined when it is not valid UTF-8. */
function utf8(bytes: number[]): string | undefined {
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** A journal field's value as a record field: text typed, UTF-8 bytes decoded, other bytes and repeats as arrays. */
function fieldValue(v: unknown): unknown {
  if (typeof v === "string") return typed(v);
  if (isBytes(v)) return utf8(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? typed(x) : isBytes(x) ? (utf8(x) ?? x) : x));
  return v;
}

/** A journal field as text (`_PID`, `SYSLOG_IDENTIFIER`), or undefined when absent or not text. */
function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  return isBytes(v) ? utf8(v) : undefined;
}

/** A microsecond timestamp field as milliseconds. */
function micros(v: unknown): number | undefined {
  if (typeof v !== "string" || !/^\d{1,19}$/.test(v)) return undefined;
  return Math.floor(Number(v) / 1000);
}

/** The MESSAGE: text, and the bytes when they are not UTF-8. */
function messageOf(v: unknown): { message: string; bytes?: number[]; other?: unknown } {
  if (v === undefined) return { message: "" };
  if (typeof v === "string") return { message: v };
  if (isBytes(v)) {
    const decoded = utf8(v);
    return decoded === undefined ? { message: LOOSE_UTF8.decode(Uint8Array.from(v)), bytes: v } : { message: decoded };
  }
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || isBytes(x))) return { message: v.map((x) => messageOf(x).message).join("\n") };
  return { message: "", other: v };
}

/** One line of `journalctl -o json`. */
export const parseJournald: LineParser = withUtf8Check((line, env) => {
  if (line.text.charCodeAt(0) !== 123 /* { */) return fail("not a journal entry: not a JSON object");
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line.text) as Record<string, unknown>;
  } catch {
    return fail("invalid JSON");
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail("not a journal entry: not a JSON object");
  if (entry.__CURSOR === undefined && entry.__REALTIME_TIMESTAMP === undefined && entry.MESSAGE === undefined) return fail("not a journal entry: no __CURSOR, __REALTIME_TIMESTAMP or MESSAGE");
  const realtime = micros(entry.__REALTIME_TIMESTAMP);
  const time = realtime ?? micros(entry._SOURCE_REALTIME_TIMESTAMP) ?? env.now;
  const priority = text(entry.PRIORITY);
  const severity = priority !== undefined && /^[0-7]$/.test(priority) ? Number(priority) : undefined;
  const { message, bytes, other } = messageOf(entry.MESSAGE);
  const record = base(line, "journald", time, severity === undefined ? "INFO" : priLevel(severity), message);
  let serviceKey: string | undefined;
  for (const key of SERVICE_KEYS) {
    const s = text(entry[key]);
    if (s !== undefined && s !== "") {
      record.service = s;
      serviceKey = key;
      break;
    }
  }
  const fields: Record<string, unknown> = {};
  const host = text(entry._HOSTNAME);
  if (host !== undefined) fields.host = host;
  else if (entry._HOSTNAME !== undefined) fields._hostname = entry._HOSTNAME;
  if (entry._PID !== undefined) fields.pid = fieldValue(entry._PID);
  if (severity !== undefined) fields.severity = SEVERITY_NAMES[severity];
  else if (entry.PRIORITY !== undefined) fields.priority = fieldValue(entry.PRIORITY);
  const facility = text(entry.SYSLOG_FACILITY);
  if (facility !== undefined && /^\d{1,2}$/.test(facility) && Number(facility) < 24) fields.facility = FACILITY_NAMES[Number(facility)];
  else if (entry.SYSLOG_FACILITY !== undefined) fields.syslog_facility = fieldValue(entry.SYSLOG_FACILITY);
  if (bytes) fields.message_bytes = bytes;
  if (other !== undefined) fields[fieldName(fields, "message")] = other;
  for (const key in entry) {
    if (key === serviceKey || PROMOTED.has(key) || (key === "__REALTIME_TIMESTAMP" && realtime !== undefined)) continue;
    setField(fields, fieldName(fields, key.toLowerCase()), fieldValue(entry[key]));
  }
  record.fields = fields;
  return ok(record);
});

export const journald = lineParserPlugin("journald", "Parses journal entries as `journalctl -o json` writes them", parseJournald);
