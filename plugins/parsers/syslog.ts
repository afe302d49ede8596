/**
 * `syslog`: every shape of syslog line that rsyslog, syslog-ng, util-linux `logger`, journald's
 * forwarder and macOS write.
 *
 * - RFC 5424 `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`, NILVALUEs (`-`) and a
 *   BOM before MSG; structured data kept whole (see _syslog.ts).
 * - RFC 3164 / BSD `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG`, with or without `<PRI>`, with or
 *   without HOSTNAME (what `logger` sends to a local socket), TAG with or without `[pid]` and with
 *   or without the colon (`syslogd 1.4.1: restart.`, rsyslog's files of RFC 5424 input), TAGs such
 *   as `sshd(pam_unix)[19939]:` and `com.apple.CDScheduler[43]:`; fractional seconds and a year
 *   after the day (`Mmm dd yyyy hh:mm:ss`) are read too. The year of year-less times is inferred
 *   (inferYear), their zone is the parser's `timezone` option.
 * - The same header with an RFC 3339 time: rsyslog's default file format (RSYSLOG_FileFormat)
 *   `2026-03-07T09:00:01.123456+00:00 web01 sshd[812]: msg`, and RSYSLOG_ForwardFormat with `<PRI>`.
 * - RFC 6587 octet counting (`28 <13>...`, `logger --octet-count`): the count is skipped.
 *
 * The record: service = APP-NAME or TAG; message = MSG; level from the PRI's severity (emerg, alert,
 * crit FATAL; err ERROR; warning WARN; notice, info INFO; debug DEBUG), INFO without PRI. Fields:
 * `host`, `pid` (PROCID or the TAG's `[pid]`), `event` (MSGID), `facility` and `severity` by name
 * (`auth`, `crit`), and the structured data. Lines of logsim's own syslog writer (the `logsim@32473`
 * element, whose PRI it derives from the level) get no facility/severity: they would add nothing.
 */
import { normalizeLevel, ok, SYSLOG_FACILITY, SYSLOG_SEVERITY, type RawLine } from "../../core/mod.ts";
import { base, fail, parseTime, typed, wallTime, withUtf8Check, MONTHS, type ParseEnv, type ParseResult } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { inferYear, offsetMinutes } from "./_time.ts";
import { FACILITY_NAMES, OWN_SD_ID, priLevel, SEVERITY_NAMES, parseStructuredData, putStructuredData, type StructuredData } from "./_syslog.ts";

const HEADER_5424 = /([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/y;
const BSD_TIME = /([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: +|$)/y;
const RFC3339_TIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})(?: +|$)/y;
const OCTET_COUNT = /^\d{1,7} (?=<)/;
const OWN_SD_PREFIX = `[${OWN_SD_ID} `;

const isDigit = (c: number) => c >= 48 && c <= 57;
const fractionMs = (digits: string | undefined) => (digits ? Number(digits.slice(0, 3).padEnd(3, "0")) : 0);

/** Where the next space is, or the end. */
const wordEnd = (text: string, i: number) => {
  const s = text.indexOf(" ", i);
  return s < 0 ? text.length : s;
};

/** The PRI's facility and severity as fields, by name. */
function putPri(fields: Record<string, unknown>, pri: number): void {
  fields.facility = FACILITY_NAMES[pri >> 3];
  fields.severity = SEVERITY_NAMES[pri & 7];
}

/** RFC 5424 after `<PRI>` (at `at`), or undefined when the version and header are not there. */
function parse5424(line: RawLine, at: number, pri: number, env: ParseEnv): ParseResult | undefined {
  const text = line.text;
  HEADER_5424.lastIndex = at;
  const m = HEADER_5424.exec(text);
  if (!m) return undefined;
  const stamp = m[2]!;
  const time = stamp === "-" ? env.now : parseTime(stamp, env.now, env.zone, env.seconds);
  if (time === undefined) return fail(`invalid RFC 5424 timestamp "${stamp.slice(0, 40)}"`);
  const sdAt = HEADER_5424.lastIndex;
  let i = sdAt;
  let fields: Record<string, unknown> = {};
  let sd: StructuredData | undefined;
  if (text.charCodeAt(i) === 45 /* - */ && (i + 1 === text.length || text.charCodeAt(i + 1) === 32)) i++;
  else if (text.charCodeAt(i) === 91 /* [ */) {
    sd = parseStructuredData(text, i, fields);
    // Not well-formed structured data stays in the message (as Vector's loose parser does): nothing is lost.
    if (sd) i = sd.next;
    else fields = {};
  }
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) === 0xfeff) i++; // The BOM says MSG is UTF-8; it is not part of it.
  const level = priLevel(pri);
  const record = base(line, "syslog", time, level, text.slice(i));
  if (m[3] !== "-") fields.host = m[3];
  if (m[5] !== "-") fields.pid = typed(m[5]!);
  if (m[6] !== "-") fields.event = m[6];
  // logsim's own lines (its element first, as its writer puts it) carry the level in a PRI derived from it.
  const own = pri === SYSLOG_FACILITY * 8 + SYSLOG_SEVERITY[level] && text.startsWith(OWN_SD_PREFIX, sdAt);
  if (!own) putPri(fields, pri);
  if (sd && sd.elements.length > 0) putStructuredData(fields, sd);
  const tags = sd?.tags;
  if (m[4] !== "-") record.service = m[4];
  for (const _ in fields) {
    record.fields = fields;
    break;
  }
  if (tags && tags.length > 0) record.tags = [...tags, ...(record.tags ?? [])];
  return ok(record);
}

/** The time at `at` (BSD or RFC 3339) and where the header goes on, or a failure. */
function headerTime(text: string, at: number, env: ParseEnv): { time: number; next: number } | ParseResult {
  const c = text.charCodeAt(at);
  if (c >= 65 && c <= 90) {
    BSD_TIME.lastIndex = at;
    const m = BSD_TIME.exec(text);
    const month = m && MONTHS[m[1]!];
    if (!m || !month) return fail("not syslog: no timestamp after the PRI");
    const mo = Number(month);
    const day = Number(m[2]);
    const year = m[3] ? Number(m[3]) : inferYear(mo, day, env.fileTime ?? env.now);
    const time = wallTime(env.zone, year, mo, day, Number(m[4]), Number(m[5]), Number(m[6]), fractionMs(m[7]));
    return time === undefined ? fail(`invalid timestamp "${m[0].trim()}"`) : { time, next: BSD_TIME.lastIndex };
  }
  if (isDigit(c)) {
    RFC3339_TIME.lastIndex = at;
    const m = RFC3339_TIME.exec(text);
    if (!m) return fail("not syslog: no timestamp after the PRI");
    const time = wallTime(env.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fractionMs(m[7]), offsetMinutes(m[8]!));
    return time === undefined ? fail(`invalid timestamp "${m[0].trim()}"`) : { time, next: RFC3339_TIME.lastIndex };
  }
  return fail("not syslog: no PRI or timestamp at the start");
}

/** `name[pid]` -> where `[` is, or -1. */
const pidOpen = (word: string) => (word.charCodeAt(word.length - 1) === 93 ? word.lastIndexOf("[") : -1);

/** A word that can only be a TAG: it ends with `:` or `[pid]` (a hostname has neither). */
const isTagOnly = (word: string) => word.charCodeAt(word.length - 1) === 58 || pidOpen(word) > 0;

/** A TAG starts with a letter, digit, `_`, `.` or `/` (`--` and `-` are not one). */
const tagStart = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 47;

const LEVEL_WORDS = new Set(["trace", "debug", "info", "notice", "warn", "warning", "error", "err", "crit", "critical", "alert", "emerg", "fatal", "panic", "severe"]);

/**
 * `2026-03-07T09:00:01Z INFO ...` and `... [main] ...` are plain-text lines, not rsyslog's file format:
 * a word after the time that is an upper-case or common level name, or starts with `[`, is no hostname.
 */
function looksPlainText(word: string): boolean {
  if (word.charCodeAt(0) === 91) return true;
  const name = word.charCodeAt(word.length - 1) === 58 ? word.slice(0, -1) : word;
  return (name === name.toUpperCase() && normalizeLevel(name) !== undefined) || LEVEL_WORDS.has(name);
}

/** RFC 3164, or its header with an RFC 3339 time, at `at` (after `<PRI>` if any). */
function parse3164(line: RawLine, at: number, pri: number | undefined, env: ParseEnv): ParseResult {
  const text = line.text;
  const t = headerTime(text, at, env);
  if (!("time" in t)) return t;
  const fields: Record<string, unknown> = {};
  let i = t.next;
  let end = wordEnd(text, i);
  if (pri === undefined && isDigit(text.charCodeAt(at)) && looksPlainText(text.slice(i, end))) return fail("not syslog: a level or [name] after the time (a plain-text line)");
  // HOSTNAME, unless the first word is a TAG (`logger` to a local socket writes no hostname) or the only one.
  if (end < text.length && !isTagOnly(text.slice(i, end))) {
    if (end !== i + 1 || text.charCodeAt(i) !== 45) fields.host = text.slice(i, end); // `-`: rsyslog's file of RFC 5424 input without a hostname
    i = end;
    while (text.charCodeAt(i) === 32) i++;
    end = wordEnd(text, i);
  }
  let service: string | undefined;
  let messageAt = i;
  // TAG: the word, less its colon and `[pid]`; MSG starts after the one space that follows it.
  // A last word is a TAG only with its colon (`host tag:` and no message).
  if (tagStart(text.charCodeAt(i)) && (end < text.length || text.charCodeAt(end - 1) === 58)) {
    service = text.slice(i, text.charCodeAt(end - 1) === 58 ? end - 1 : end);
    const open = pidOpen(service);
    if (open > 0) {
      if (open + 2 < service.length) fields.pid = typed(service.slice(open + 1, -1));
      service = service.slice(0, open);
    }
    messageAt = Math.min(end + 1, text.length);
  }
  const record = base(line, "syslog", t.time, pri === undefined ? "INFO" : priLevel(pri), text.slice(messageAt));
  if (service !== undefined) record.service = service;
  if (pri !== undefined) putPri(fields, pri);
  for (const _ in fields) {
    record.fields = fields;
    break;
  }
  return ok(record);
}

/** Syslog: RFC 5424, RFC 3164 (BSD) in the shapes real programs write, and rsyslog's file formats. */
export const parseSyslog: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  let at = 0;
  if (isDigit(text.charCodeAt(0))) {
    const count = OCTET_COUNT.exec(text);
    if (count) at = count[0].length;
  }
  if (text.charCodeAt(at) !== 60 /* < */) return parse3164(line, at, undefined, env);
  const close = text.indexOf(">", at + 1);
  if (close < at + 2 || close > at + 4) return fail("not syslog: invalid PRI");
  let pri = 0;
  for (let i = at + 1; i < close; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return fail("not syslog: invalid PRI");
    pri = pri * 10 + c - 48;
  }
  if (pri > 191) return fail(`not syslog: PRI ${pri} is over 191`);
  return (isDigit(text.charCodeAt(close + 1)) && parse5424(line, close + 1, pri, env)) || parse3164(line, close + 1, pri, env);
});

export const syslog = lineParserPlugin("syslog", "Parses syslog lines: RFC 5424, RFC 3164 (BSD) and rsyslog's file formats", parseSyslog);
