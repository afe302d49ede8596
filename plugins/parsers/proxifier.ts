/**
 * `proxifier`: the Proxifier client's traffic log (loghub Proxifier):
 *
 *   [10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS
 *   [10.30 21:08:03] spoolsv.exe *64 - 127.0.0.1:135 error : Could not connect through proxy ...
 *
 * Time `[MM.dd HH:mm:ss]`, without a year (taken from the reference: the file's modification
 * time, or now) or zone (read in `timezone`); the program, `*64` for a 64-bit one; ` - `; the message.
 * The format has no level column: lines whose event is `error` are ERROR, the rest INFO.
 * Fields: program, program_bits (64 when marked).
 */
import { ok } from "../../core/mod.ts";
import { base, fail, withUtf8Check } from "./_common.ts";
import { yearlessTime } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const PROXIFIER = /^\[(\d\d)\.(\d\d) (\d\d):(\d\d):(\d\d)\] (.+?)( \*64)? - /;
const ERROR_EVENT = /^\S+ error : /;

export const parseProxifier: LineParser = withUtf8Check((line, env) => {
  const m = PROXIFIER.exec(line.text.length > 4096 ? line.text.slice(0, 4096) : line.text);
  if (!m) return fail("not a Proxifier line ([MM.dd HH:mm:ss] program - message)");
  const n = (i: number) => Number(m[i]);
  const time = yearlessTime(env, n(1), n(2), n(3), n(4), n(5), 0);
  if (time === undefined) return fail("invalid timestamp");
  const message = line.text.slice(m[0].length);
  const record = base(line, "proxifier", time, ERROR_EVENT.test(message) ? "ERROR" : "INFO", message);
  record.fields = m[7] ? { program: m[6], program_bits: 64 } : { program: m[6] };
  return ok(record);
});

export const proxifier = lineParserPlugin("proxifier", "Parses Proxifier traffic log lines ([MM.dd HH:mm:ss] program - message)", parseProxifier);
