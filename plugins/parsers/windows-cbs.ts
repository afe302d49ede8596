/**
 * `windows-cbs`: Windows Component-Based Servicing and DISM logs (`%windir%\Logs\CBS\CBS.log`,
 * `DISM.log`; loghub Windows):
 *
 *   2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: ...
 *
 * Columns: local time `yyyy-MM-dd HH:mm:ss` (read in `timezone`), `,`, level (Info, Warning, Error,
 * Perf...), the component (CBS, CSI, DISM...), message. Fields: component, and severity when the
 * level word is none logsim knows (the record is then INFO).
 */
import { ok } from "../../core/mod.ts";
import { base, fail, levelOf, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const CBS = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d), ([A-Za-z]+) +(\S+)(?: +|$)/;

export const parseWindowsCbs: LineParser = withUtf8Check((line, env) => {
  const m = CBS.exec(line.text);
  if (!m) return fail("not a Windows CBS line (yyyy-MM-dd HH:mm:ss, Level Component message)");
  const n = (i: number) => Number(m[i]);
  const time = wallTime(env.zone, n(1), n(2), n(3), n(4), n(5), n(6), 0);
  if (time === undefined) return fail("invalid timestamp");
  const level = levelOf(m[7]);
  const record = base(line, "windows-cbs", time, level ?? "INFO", line.text.slice(m[0].length));
  record.fields = level ? { component: m[8] } : { component: m[8], severity: m[7] };
  return ok(record);
});

export const windowsCbs = lineParserPlugin("windows-cbs", "Parses Windows CBS and DISM log lines (yyyy-MM-dd HH:mm:ss, Level Component message)", parseWindowsCbs);
