/**
 * `healthapp`: the Huawei Health Android app's log (loghub HealthApp), `|`-separated:
 *
 *   20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579
 *
 * Columns: time `yyyyMMdd-H:m:s:S` (unpadded parts, S in milliseconds; read in `timezone`),
 * component, pid, message (which may hold further `|`). No level: the format has none.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const HEALTH = /^(\d{4})(\d\d)(\d\d)-(\d{1,2}):(\d{1,2}):(\d{1,2}):(\d{1,3})\|([^|]*)\|(\d+)\|/;

export const parseHealthApp: LineParser = withUtf8Check((line, env) => {
  const m = HEALTH.exec(line.text);
  if (!m) return fail("not a HealthApp line (yyyyMMdd-H:m:s:S|component|pid|message)");
  const n = (i: number) => Number(m[i]);
  const time = wallTime(env.zone, n(1), n(2), n(3), n(4), n(5), n(6), n(7));
  if (time === undefined) return fail("invalid timestamp");
  const record = base(line, "healthapp", time, "INFO", line.text.slice(m[0].length));
  record.fields = { component: m[8], pid: n(9) };
  return ok(record);
});

export const healthApp = lineParserPlugin("healthapp", "Parses Huawei HealthApp lines (yyyyMMdd-H:m:s:S|component|pid|message)", parseHealthApp);
