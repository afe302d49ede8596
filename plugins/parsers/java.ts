/**
 * `java`: the log4j / logback / Spring Boot family. A date in one of the shapes their `%d` writes, then
 * one of the layouts below; the logger becomes the service, the thread, pid, line and Spring's app fields.
 *
 *   log4j 1/2 `%d %-5p [%t] %c: %m` / `- %m`   2026-03-07 09:00:01,123 INFO  [main] com.example.App - message (Hadoop)
 *   log4j2/logback default `%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg`   09:00:01.123 [main] INFO  com.example.App - message
 *   Spring Boot (logger `o.a.c.c.C.[Tomcat].[localhost].[/]` at times)   2026-03-07T09:00:01.123+01:00  INFO 1234 --- [app] [main] c.e.App : message
 *   Zookeeper `%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m`   2015-07-29 17:41:44,747 - INFO  [main:QuorumPeer@774] - message
 *   Spark `%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m`          17/06/09 20:10:40 INFO executor.Backend: message
 *   HDFS (loghub) `yyMMdd HHmmss pid level logger: m`   081109 203615 148 INFO dfs.DataNode$PacketResponder: message
 */
import { ok, type Level } from "../../core/mod.ts";
import { base, fail, levelOf, wallTime, withUtf8Check, type ParseEnv } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { offsetMinutes } from "./_time.ts";
import { fullYear, millis, timeOfDay } from "./_clock.ts";

/** `yyyy-MM-dd HH:mm:ss,SSS` (also `T`, `.`, more digits); an offset only in Spring Boot's layout. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;
const SPARK = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/;
const COMPACT = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})/;
const CLOCK = /^(\d{2}):(\d{2}):(\d{2})[.,](\d{3})/;

/** A logger as the layouts write it: a class or dotted name (`c.e.App`, `Server$Handler`), `:line` after it at times. */
const LOGGER = "([\\w$][\\w$.\\-]*(?::\\d+)?)";
const LEVEL = "([A-Z]+)";
/** The layouts after the date, each sticky at the date's end: [regex, level, thread, logger, message, extras]. */
const SPRING = new RegExp(`  ?${LEVEL} +(\\d+) --- (?:\\[([^\\]]*)\\] )?\\[ *([^\\]]*)\\] (?:\\[([^\\]]*)\\] )?(\\S{1,512}?) *: ?(.*)`, "ys");
const ZOOKEEPER = new RegExp(` - ${LEVEL} +\\[(.{0,512}?):([\\w$.]{1,256})@(\\d+)\\] - ?(.*)`, "ys");
const LEVEL_THREAD = new RegExp(` +${LEVEL} +\\[([^\\]]*)\\] +${LOGGER}(?::| +-{1,2})(?: |$)(.*)`, "ys");
const THREAD_LEVEL = new RegExp(` +\\[([^\\]]*)\\] +${LEVEL} +${LOGGER}(?::| +-{1,2})(?: |$)(.*)`, "ys");
const PID_LEVEL = new RegExp(` +(\\d+) +${LEVEL} +${LOGGER}:(?: |$)(.*)`, "ys");
const LEVEL_ONLY = new RegExp(` +${LEVEL} +${LOGGER}(?::| +-{1,2})(?: |$)(.*)`, "ys");

interface Head {
  time: number;
  end: number;
  zoned: boolean;
}

function head(text: string, env: ParseEnv): Head | string {
  let m: RegExpExecArray | null;
  if (text.charCodeAt(4) === 45 /* - */ && (m = ISO.exec(text))) {
    const offset = m[8] === undefined ? undefined : offsetMinutes(m[8]);
    if (m[8] !== undefined && offset === undefined) return "invalid time zone offset";
    const t = wallTime(env.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis(m[7]), offset);
    return t === undefined ? "invalid timestamp" : { time: t, end: m[0].length, zoned: m[8] !== undefined };
  }
  if (text.charCodeAt(2) === 47 /* / */ && (m = SPARK.exec(text))) {
    const t = wallTime(env.zone, fullYear(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis(m[7]));
    return t === undefined ? "invalid timestamp" : { time: t, end: m[0].length, zoned: false };
  }
  if (text.charCodeAt(2) === 58 /* : */ && (m = CLOCK.exec(text))) {
    const t = timeOfDay(env, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
    return t === undefined ? "invalid timestamp" : { time: t, end: m[0].length, zoned: false };
  }
  if ((m = COMPACT.exec(text))) {
    const t = wallTime(env.zone, fullYear(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
    return t === undefined ? "invalid timestamp" : { time: t, end: m[0].length, zoned: false };
  }
  return "no log4j/logback date at the start";
}

const exec = (re: RegExp, text: string, at: number) => ((re.lastIndex = at), re.exec(text));

interface Body {
  level: string;
  logger: string;
  message: string;
  fields: Record<string, unknown>;
}

/** The layout after the date, or undefined when none fits. */
function body(text: string, h: Head): Body | undefined {
  let m: RegExpExecArray | null;
  if ((m = exec(SPRING, text, h.end))) {
    const fields: Record<string, unknown> = { pid: Number(m[2]) };
    if (m[3] !== undefined) fields.app = m[3];
    fields.thread = m[4];
    if (m[5] !== undefined && m[5].trim() !== "") fields.correlation_id = m[5].trim();
    return { level: m[1]!, logger: m[6]!, message: m[7]!, fields };
  }
  // A zone after the date is Spring Boot's; the other layouts write none (and logsim's own text lines end theirs with Z).
  if (h.zoned) return undefined;
  if ((m = exec(ZOOKEEPER, text, h.end))) return { level: m[1]!, logger: m[3]!, message: m[5]!, fields: { thread: m[2], line: Number(m[4]) } };
  if ((m = exec(LEVEL_THREAD, text, h.end))) return { level: m[1]!, logger: m[3]!, message: m[4]!, fields: { thread: m[2] } };
  if ((m = exec(THREAD_LEVEL, text, h.end))) return { level: m[2]!, logger: m[3]!, message: m[4]!, fields: { thread: m[1] } };
  if ((m = exec(PID_LEVEL, text, h.end))) return { level: m[2]!, logger: m[3]!, message: m[4]!, fields: { pid: Number(m[1]) } };
  if ((m = exec(LEVEL_ONLY, text, h.end))) return { level: m[1]!, logger: m[2]!, message: m[3]!, fields: {} };
  return undefined;
}

/** log4j, logback, Spring Boot and the Hadoop/Spark/Zookeeper/HDFS layouts. */
export const parseJava: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  const h = head(text, env);
  if (typeof h === "string") return fail(h);
  const b = body(text, h);
  if (!b) return fail("not a log4j/logback layout after the date");
  const level: Level | undefined = levelOf(b.level);
  if (!level) return fail(`unknown level "${b.level.slice(0, 20)}"`);
  let logger = b.logger;
  // `%c{1}:%L`: the line number after the logger.
  const colon = logger.lastIndexOf(":");
  if (colon > 0) {
    b.fields.line = Number(logger.slice(colon + 1));
    logger = logger.slice(0, colon);
  }
  const record = base(line, "java", h.time, level, b.message);
  record.service = logger;
  for (const _ in b.fields) {
    record.fields = b.fields;
    break;
  }
  return ok(record);
});

export const java = lineParserPlugin("java", "Parses log4j, logback and Spring Boot lines (and Hadoop's, Spark's, Zookeeper's)", parseJava);
