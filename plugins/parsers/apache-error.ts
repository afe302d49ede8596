/**
 * `apache-error`: Apache's error log, 2.2 (`[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg`)
 * and 2.4's default ErrorLogFormat (`[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416]
 * [client 72.15.99.187:54321] AH00128: File does not exist: ...`), with the times of `%{cu}t`
 * (`2011-09-09 10:42:29.902022`) and `%t` in CLF too. A time without a zone is read in `timezone`.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, MONTHS, parseTime, wallTime, withUtf8Check, type ParseEnv } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { clfTime, errorLevel } from "./_web.ts";

const HEAD = /^\[([^\]]{10,40})\] \[(?:([^\]:\s]*):)?([a-z]+[1-8]?)\] (?:\[pid (\d+)(?::tid (\d+))?\] )?/;
const CTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ( ?\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\d{4})$/;
const SOURCE = /([\w.-]{1,80}\.\w{1,8})\((\d{1,9})\): /y;
const CLIENT = /\[(client|remote) ([^\]\s]{1,200})\] /y;
const CODE = /(AH\d{5}): /y;
const REFERER = /^, referer:? (\S+)$/;
const IPV4_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;
const ANY_PORT = /^(.*:.*):(\d{1,5})$/;

/** The `[...]` time: ctime (with microseconds in 2.4), CLF, or ISO; undefined when it is none. */
function errorTime(value: string, env: ParseEnv): number | undefined {
  const m = CTIME.exec(value);
  if (m) {
    const ms = m[6] ? Number(m[6].slice(0, 3).padEnd(3, "0")) : 0;
    return wallTime(env.zone, Number(m[7]), Number(MONTHS[m[1]!] ?? 0), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms);
  }
  return clfTime(value) ?? parseTime(value, env.now, env.zone, env.seconds);
}

/** A sticky regex's match at `at`, or undefined. */
const at = (re: RegExp, text: string, pos: number) => ((re.lastIndex = pos), re.exec(text) ?? undefined);

/** Apache 2.2 and 2.4 error logs. Levels: emerg/alert/crit FATAL, error ERROR, warn WARN, notice/info INFO, debug/trace1-8 DEBUG. */
export const parseApacheError: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  const m = HEAD.exec(text);
  if (!m) return fail("not an Apache error log line (expected '[time] [module:level] ')");
  const level = errorLevel(m[3]!);
  if (!level) return fail(`unknown Apache error level "${m[3]}"`);
  const time = errorTime(m[1]!, env);
  if (time === undefined) return fail(`invalid timestamp "${m[1]}"`);
  const fields: Record<string, unknown> = { severity: m[3] };
  if (m[2]) fields.module = m[2];
  if (m[4] !== undefined) fields.pid = Number(m[4]);
  if (m[5] !== undefined) fields.tid = Number(m[5]);
  const v24 = m[2] !== undefined || m[4] !== undefined;
  let pos = m[0].length;
  // 2.4 writes the source location (at debug), the client and the AH code in that order; each is optional.
  const src = at(SOURCE, text, pos);
  if (src) {
    fields.source_file = src[1];
    fields.source_line = Number(src[2]);
    pos = SOURCE.lastIndex;
  }
  const client = at(CLIENT, text, pos);
  if (client) {
    const addr = client[2]!;
    const p = IPV4_PORT.exec(addr) ?? (v24 ? ANY_PORT.exec(addr) : null);
    fields[client[1]!] = p ? p[1] : addr;
    if (p) fields.port = Number(p[2]);
    pos = CLIENT.lastIndex;
  }
  const code = at(CODE, text, pos);
  if (code) {
    fields.error_code = code[1];
    pos = CODE.lastIndex;
  }
  let message = text.slice(pos);
  const r = message.lastIndexOf(", referer");
  const referer = r >= 0 ? REFERER.exec(message.slice(r)) : null;
  if (referer) {
    fields.referer = referer[1];
    message = message.slice(0, r);
  }
  const record = base(line, "apache-error", time, level, message);
  record.fields = fields;
  return ok(record);
});

export const apacheError = lineParserPlugin("apache-error", "Parses Apache 2.2 and 2.4 error logs; times without a zone are read in `timezone`", parseApacheError);
