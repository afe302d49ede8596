/**
 * `timestamped`: any line that starts with a timestamp, for formats no parser was written for.
 * The time is read in many common shapes, optionally in `[...]`; a level word after it (optionally
 * `[bracketed]`, after `-`/`,`/`|`, after a pid and tid column or a `[thread]`) becomes the level;
 * everything after is the message, untouched. Shapes:
 *
 *   2026-11-29T10:00:00.123Z, 2026-11-29 10:00:00,123 +0100, 2026/11/29 10:00:00, 2005.06.03 15:42:50
 *   2005-06-03-15.42.50.675872 (DB2), 20261129T100000, 20171223-22:15:29:606 (unpadded parts)
 *   26/11/29 10:00:00 (yy/MM/dd, log4j's and Spark's), 081109 203615 (yyMMdd HHmmss)
 *   Sun Dec 04 04:47:44 2005, Dec 04 04:47:44 2005, Dec  4 04:47:44 (year-less), 29-Nov-2026 10:00:00.123
 *   29/Nov/2026:10:00:00 +0000 (CLF), 11-29 10:00:00.123 and 11.29 10:00:00 (MM-dd / MM.dd, year-less)
 *   1117838570 or 1117838570.123 (epoch seconds), 1117838570123 (epoch milliseconds)
 *
 * Times without a zone are read in `timezone`; without a year, the year is the reference's (the
 * file's modification time, or now). Fields: pid, tid, thread when those columns precede the level.
 */
import { ok, type Level } from "../../core/mod.ts";
import { base, fail, MONTHS, wallTime, withUtf8Check, type ParseEnv } from "./_common.ts";
import { fractionMs, fullYear, levelWord, yearlessTime } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { offsetMinutes } from "./_time.ts";

interface Stamp {
  time: number;
  /** Where the text after the time starts. */
  end: number;
}

const ZONE = String.raw`(?: ?(Z|[+-]\d\d:?\d\d)(?![\d:]))?`;
/** yyyy-MM-dd HH:mm:ss and its kin: separators `-/.`, `T`/space/`-`/`_` between date and time, `:` or `.` in the time. */
const YMD = new RegExp(String.raw`^(\d{4})([-/.])(\d\d)\2(\d\d)[T _-](\d\d)([:.])(\d\d)\6(\d\d)(?:[.,:](\d{1,9}))?${ZONE}`);
/** yyyyMMdd then T/-/space, then HHmmss or H:m:s(:S) with unpadded parts. */
const COMPACT = new RegExp(String.raw`^(\d{4})(\d\d)(\d\d)[T -](?:(\d\d)(\d\d)(\d\d)|(\d{1,2}):(\d{1,2}):(\d{1,2}))(?:([.,:])(\d{1,9}))?${ZONE}`);
/** yy/MM/dd HH:mm:ss and yyMMdd HHmmss. */
const SHORT = /^(\d\d)\/?(\d\d)\/?(\d\d) (\d\d):?(\d\d):?(\d\d)(?:[.,](\d{1,9}))?/;
/** MM-dd or MM.dd then HH:mm:ss, no year. */
const MONTH_DAY = /^(\d\d)[-.](\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
/** dd-Mon-yyyy HH:mm:ss and CLF dd/Mon/yyyy:HH:mm:ss +zzzz. */
const DAY_MON = new RegExp(String.raw`^(\d\d)([-/])([A-Z][a-z]{2})\2(\d{4})[ :](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?${ZONE}`);
/** [Weekday] Mon dd HH:mm:ss[.fff] [yyyy]: asctime, ctime, BSD syslog. */
const ASCTIME = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? )?([A-Z][a-z]{2}) +(\d{1,2}),? (\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(?: (\d{4})(?!\d))?/;
const EPOCH = /^(\d{10}|\d{13})(?:\.(\d{1,9}))?(?![\d.:])/;

function zoned(env: ParseEnv, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string | undefined): number | undefined {
  const offset = zone === undefined ? undefined : offsetMinutes(zone);
  return zone !== undefined && offset === undefined ? undefined : wallTime(env.zone, y, mo, d, h, mi, s, ms, offset);
}

/** The timestamp at the start of `text`, or undefined. */
function stamp(text: string, env: ParseEnv): Stamp | undefined {
  const c = text.charCodeAt(0);
  let m: RegExpExecArray | null = null;
  let t: number | undefined;
  if (c >= 48 && c <= 57) {
    if ((m = YMD.exec(text))) t = zoned(env, +m[1]!, +m[3]!, +m[4]!, +m[5]!, +m[7]!, +m[8]!, fractionMs(m[9]), m[10]);
    else if ((m = COMPACT.exec(text))) {
      const [h, mi, s] = m[4] !== undefined ? [+m[4], +m[5]!, +m[6]!] : [+m[7]!, +m[8]!, +m[9]!];
      // An unpadded H:m:s:S (HealthApp) has milliseconds as a number, not a fraction.
      const ms = m[10] === ":" ? Math.min(+m[11]!, 999) : fractionMs(m[11]);
      t = zoned(env, +m[1]!, +m[2]!, +m[3]!, h, mi, s, ms, m[12]);
    } else if ((m = SHORT.exec(text))) t = wallTime(env.zone, fullYear(+m[1]!), +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fractionMs(m[7]));
    else if ((m = MONTH_DAY.exec(text))) t = yearlessTime(env, +m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, fractionMs(m[6]));
    else if ((m = DAY_MON.exec(text))) {
      const month = MONTHS[m[3]!];
      t = month ? zoned(env, +m[4]!, +month, +m[1]!, +m[5]!, +m[6]!, +m[7]!, fractionMs(m[8]), m[9]) : undefined;
    } else if ((m = EPOCH.exec(text))) t = m[1]!.length === 13 ? +m[1]! : +m[1]! * 1000 + fractionMs(m[2]);
  } else if (c >= 65 && c <= 90 && (m = ASCTIME.exec(text))) {
    const month = MONTHS[m[1]!];
    const [mo, d, h, mi, s, ms] = [Number(month), +m[2]!, +m[3]!, +m[4]!, +m[5]!, fractionMs(m[6])];
    t = !month ? undefined : m[7] ? wallTime(env.zone, +m[7], mo, d, h, mi, s, ms) : yearlessTime(env, mo, d, h, mi, s, ms);
  }
  return m && t !== undefined ? { time: t, end: m[0].length } : undefined;
}

/** After the time: separators, then `[LEVEL]`/`LEVEL:`/`<LEVEL>`, or `pid [tid] LEVEL`, or `[thread] LEVEL`. */
const LEVEL_AFTER = /^(?:\s*[-,|]\s*|\s*)()()()([[<(]?)([A-Za-z]{3,11})([\]>)]?):?(?:\s+|$)/;
const COLUMNS_LEVEL_AFTER = /^(?:\s*[-,|]\s*|\s*)(?:(\d{1,10})\s+(?:(\d{1,10})\s+)?|\[([^\]]{1,200})\]\s+)([[<(]?)([A-Za-z]{3,11})([\]>)]?):?(?:\s+|$)/;
const LEVEL_PATTERNS = [LEVEL_AFTER, COLUMNS_LEVEL_AFTER];
const CLOSE: Record<string, string> = { "[": "]", "<": ">", "(": ")", "": "" };

export const parseTimestamped: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  let start = 0;
  let close = -1;
  if (text.charCodeAt(0) === 91 /* [ */) {
    close = text.indexOf("]", 1);
    if (close < 0 || close > 64) return fail("no leading timestamp");
    start = 1;
  }
  const head = start === 1 ? text.slice(1, close) : text.length > 80 ? text.slice(0, 80) : text;
  const s = stamp(head, env);
  if (!s || (start === 1 && s.end !== head.length)) return fail("no leading timestamp");
  const after = start === 1 ? close + 1 : s.end;
  const tail = text.length - after > 300 ? text.slice(after, after + 300) : text.slice(after);
  let level: Level | undefined;
  let a: RegExpExecArray | null = null;
  for (const re of LEVEL_PATTERNS) {
    a = re.exec(tail);
    if (a && CLOSE[a[4]!] === a[6] && (level = levelWord(a[5]!))) break;
  }
  const message = level ? text.slice(after + a![0].length) : text.slice(after).replace(/^(?:\s*[,|]\s*|\s+)/, "");
  const record = base(line, "timestamped", s.time, level ?? "INFO", message);
  if (level && (a![1] || a![3] !== undefined)) {
    const fields: Record<string, unknown> = {};
    if (a![1]) fields.pid = Number(a![1]);
    if (a![2]) fields.tid = Number(a![2]);
    if (a![3] !== undefined) fields.thread = a![3];
    record.fields = fields;
  }
  return ok(record);
});

export const timestamped = lineParserPlugin("timestamped", "Parses any line that starts with a timestamp (many shapes) and maybe a level word; the rest is the message", parseTimestamped);
