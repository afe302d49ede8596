/**
 * `redis`: Redis's log, `pid:role dd Mon yyyy hh:mm:ss.mmm level message` (server.c's serverLogRaw), in the
 * server's local time; the role is X sentinel, C a child (RDB/AOF), S a replica, M a master, and the level
 * `.` debug, `-` verbose, `*` notice, `#` warning. Redis 2's `[pid] dd Mon hh:mm:ss.mmm * message` has no year.
 */
import { ok, type Level } from "../../core/mod.ts";
import { base, fail, MONTHS, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { inferYear } from "./_time.ts";

const REDIS = /^(?:(\d+):([XCSM])|\[(\d+)\]) (\d{2}) ([A-Z][a-z]{2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([.\-*#]) /;
const LEVELS: Record<string, Level> = { ".": "DEBUG", "-": "DEBUG", "*": "INFO", "#": "WARN" };
const ROLES: Record<string, string> = { X: "sentinel", C: "child", S: "replica", M: "master" };
const VERBOSITY: Record<string, string> = { ".": "debug", "-": "verbose", "*": "notice", "#": "warning" };

export const parseRedis: LineParser = withUtf8Check((line, env) => {
  const m = REDIS.exec(line.text);
  if (!m) return fail("not a Redis log line");
  const month = MONTHS[m[5]!];
  if (!month) return fail(`unknown month "${m[5]}"`);
  const day = Number(m[4]);
  const year = m[6] ? Number(m[6]) : inferYear(Number(month), day, env.fileTime ?? env.now);
  const time = wallTime(env.zone, year, Number(month), day, Number(m[7]), Number(m[8]), Number(m[9]), Number(m[10]));
  if (time === undefined) return fail("invalid timestamp");
  // Redis 2 wrote no role; Redis 3+ always does.
  if ((m[1] === undefined) !== (m[6] === undefined)) return fail("not a Redis log line: a role with no year or a year with no role");
  const record = base(line, "redis", time, LEVELS[m[11]!]!, line.text.slice(m[0].length));
  record.fields = m[1] === undefined ? { pid: Number(m[3]), verbosity: VERBOSITY[m[11]!] } : { pid: Number(m[1]), role: ROLES[m[2]!], verbosity: VERBOSITY[m[11]!] };
  return ok(record);
});

export const redis = lineParserPlugin("redis", "Parses Redis server log lines (pid:role, time, level mark)", parseRedis);
