/**
 * `logcat`: Android's `adb logcat` output in its `threadtime` layout (the default since Android 7),
 * and in its `time` and `brief` layouts:
 *
 *   threadtime  03-17 16:13:38.811  1702  2395 D WindowManager: message
 *   time        03-17 16:13:38.811 D/WindowManager( 1702): message
 *   brief       D/WindowManager( 1702): message            (no time: the record gets the time read)
 *
 * Also `-v year` (`2017-03-17 ...`), `-v usec` (six fraction digits), `-v zone` (`+0800` after the
 * time) and `-v uid` (a uid column before the pid). Times without a year take it from the reference
 * (the file's modification time, or now); times without a zone are read in `timezone`.
 * Fields: pid, tid, component (the tag), uid.
 */
import { ok, type RawLine } from "../../core/mod.ts";
import { base, fail, wallTime, withUtf8Check, type ParseEnv, type ParseResult } from "./_common.ts";
import { fractionMs, LETTER_LEVEL, yearlessTime } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { inferYear, offsetMinutes } from "./_time.ts";

const TIME = String.raw`(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3,6})(?: ([+-]\d{4}))?`;
const THREADTIME = new RegExp(String.raw`^${TIME} +(?:([a-z0-9_]+) +)?(\d+) +(\d+) ([VDIWEFAS]) `);
const TIMED = new RegExp(String.raw`^${TIME} ([VDIWEFAS])\/([^(]*)\( *(?:([a-z0-9_]+): *)?(\d+)\): `);
const BRIEF = /^([VDIWEFAS])\/([^(]*)\( *(?:([a-z0-9_]+): *)?(\d+)\): /;

function timeOf(m: RegExpExecArray, env: ParseEnv): number | undefined {
  const [mo, d, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const ms = fractionMs(m[7]);
  if (m[8] === undefined && !m[1]) return yearlessTime(env, mo, d, h, mi, s, ms);
  const offset = m[8] === undefined ? undefined : offsetMinutes(m[8]);
  return wallTime(env.zone, m[1] ? Number(m[1]) : inferYear(mo, d, env.fileTime ?? env.now), mo, d, h, mi, s, ms, offset);
}

function record(line: RawLine, time: number, letter: string, tag: string, message: string, pid: string, tid: string | undefined, uid: string | undefined): ParseResult {
  const r = base(line, "logcat", time, LETTER_LEVEL[letter]!, message);
  r.fields = { pid: Number(pid), ...(tid === undefined ? {} : { tid: Number(tid) }), component: tag.trimEnd(), ...(uid === undefined ? {} : { uid }) };
  return ok(r);
}

export const parseLogcat: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  let m = THREADTIME.exec(text);
  if (m) {
    const time = timeOf(m, env);
    if (time === undefined) return fail("invalid logcat time");
    // The tag runs to the first ": " (threadtime pads it with spaces before the colon).
    const start = m[0].length;
    let colon = text.indexOf(": ", start);
    if (colon < 0 && text.endsWith(":")) colon = text.length - 1;
    if (colon < 0) return fail('logcat threadtime line without "tag: "');
    return record(line, time, m[12]!, text.slice(start, colon), text.slice(colon + 2), m[10]!, m[11], m[9]);
  }
  if ((m = TIMED.exec(text))) {
    const time = timeOf(m, env);
    if (time === undefined) return fail("invalid logcat time");
    return record(line, time, m[9]!, m[10]!, text.slice(m[0].length), m[12]!, undefined, m[11]);
  }
  if ((m = BRIEF.exec(text))) return record(line, env.now, m[1]!, m[2]!, text.slice(m[0].length), m[4]!, undefined, m[3]);
  return fail("not logcat (threadtime, time or brief)");
});

export const logcat = lineParserPlugin("logcat", "Parses Android logcat lines (threadtime, time and brief layouts)", parseLogcat);
