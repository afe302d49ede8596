/**
 * `hdfs`: Hadoop 0.x HDFS daemon logs (log4j `%d{yyMMdd HHmmss} %t %p %c: %m`), as in loghub HDFS:
 *
 *   081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_388 terminating
 *
 * Columns: date yyMMdd, time HHmmss (read in `timezone`), thread id, level, logger, message.
 * Fields: pid (the id column, as loghub names it), component (the logger).
 */
import { ok } from "../../core/mod.ts";
import { base, fail, wallTime, withUtf8Check } from "./_common.ts";
import { fullYear, levelWord } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const HDFS = /^(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) (\d+) ([A-Za-z]+) ([^\s:]+):(?: |$)/;

export const parseHdfs: LineParser = withUtf8Check((line, env) => {
  const m = HDFS.exec(line.text);
  if (!m) return fail("not an HDFS line (yyMMdd HHmmss id LEVEL logger: message)");
  const n = (i: number) => Number(m[i]);
  const time = wallTime(env.zone, fullYear(n(1)), n(2), n(3), n(4), n(5), n(6), 0);
  if (time === undefined) return fail("invalid timestamp");
  const level = levelWord(m[8]!);
  if (!level) return fail(`unknown level "${m[8]}"`);
  const record = base(line, "hdfs", time, level, line.text.slice(m[0].length));
  record.fields = { pid: n(7), component: m[9] };
  return ok(record);
});

export const hdfs = lineParserPlugin("hdfs", "Parses Hadoop 0.x HDFS daemon lines (yyMMdd HHmmss id LEVEL logger: message)", parseHdfs);
