/**
 * `mysql`: MySQL's error log. 8.0+ `2026-03-07T09:00:01.123456Z 0 [System] [MY-010116] [Server] message`,
 * 5.7 `2026-03-07T09:00:01.123456Z 0 [Note] message`, 5.6 `2016-03-07 09:00:01 1234 [Note] message`
 * and 5.5 `160307  9:00:01 [Note] message` (local time; lines of some engines have no label).
 */
import { ok, type Level } from "../../core/mod.ts";
import { base, fail, levelOf, parseTime, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { fullYear } from "./_clock.ts";

const MODERN = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})?) (\d+) \[([A-Za-z]+)\] (?:\[(MY-\d+)\] \[([\w-]+)\] )?/;
const OLD = /^(\d{2})(\d{2})(\d{2}) ([ \d]\d):(\d{2}):(\d{2}) +(?:\[([A-Za-z]+)\] )?/;

/** The labels are System, ERROR, Warning and Note; the level is logsim's, the label is kept when it says more. */
const label = (word: string | undefined, fields: Record<string, unknown>): Level | undefined => {
  if (word === undefined) return "INFO";
  const level = levelOf(word);
  if (level && word !== level) fields.severity = word;
  return level;
};

export const parseMysql: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  const fields: Record<string, unknown> = {};
  let m = MODERN.exec(text);
  let time: number | undefined;
  let level: Level | undefined;
  if (m) {
    time = parseTime(m[1], env.now, env.zone, env.seconds);
    level = label(m[3], fields);
    fields.thread_id = Number(m[2]);
    if (m[4]) fields.error_code = m[4];
    if (m[5]) fields.subsystem = m[5];
  } else if ((m = OLD.exec(text))) {
    time = wallTime(env.zone, fullYear(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
    level = label(m[7], fields);
  } else return fail("not a MySQL error log line");
  if (time === undefined) return fail("invalid timestamp");
  if (!level) return fail(`unknown label "${m[3] ?? m[7]}"`);
  const record = base(line, "mysql", time, level, text.slice(m[0].length));
  for (const _ in fields) {
    record.fields = fields;
    break;
  }
  return ok(record);
});

export const mysql = lineParserPlugin("mysql", "Parses MySQL error log lines (8.0's, 5.7's and older)", parseMysql);
