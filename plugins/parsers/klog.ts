/**
 * `klog`: Go's glog and Kubernetes' klog, `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg` (glog 0.6+ writes
 * `Lyyyymmdd`). The year, when absent, is inferred from now; structured klog lines (`"msg" key="value" ...`)
 * give their message and fields.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, kvTokens, setField, typed, wallTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { inferYear } from "./_time.ts";
import { millis } from "./_clock.ts";

const KLOG = /^([IWEF])(\d{4})?(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? +(\d+) ([^\s:\]]{1,512}):(\d+)\] ?/;
const LEVELS = { I: "INFO", W: "WARN", E: "ERROR", F: "FATAL" } as const;

/** `"msg" k="v" n=1`: the message and typed fields, or undefined when the tail is not that shape. */
function structured(tail: string): { message: string; fields: Record<string, unknown> } | undefined {
  if (tail[0] !== '"') return undefined;
  const tokens = kvTokens(tail);
  if (!tokens || tokens.length === 0 || tokens[0]!.key !== undefined) return undefined;
  const fields: Record<string, unknown> = {};
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.key === undefined) return undefined;
    setField(fields, t.key, typed(t.value));
  }
  return { message: tokens[0]!.value, fields };
}

export const parseKlog: LineParser = withUtf8Check((line, env) => {
  const m = KLOG.exec(line.text);
  if (!m) return fail("not a klog/glog line");
  const month = Number(m[3]);
  const day = Number(m[4]);
  const year = m[2] ? Number(m[2]) : inferYear(month, day, env.fileTime ?? env.now);
  const time = wallTime(env.zone, year, month, day, Number(m[5]), Number(m[6]), Number(m[7]), millis(m[8]));
  if (time === undefined) return fail("invalid timestamp");
  const tail = line.text.slice(m[0].length);
  const s = structured(tail);
  const record = base(line, "klog", time, LEVELS[m[1] as keyof typeof LEVELS], s ? s.message : tail);
  const fields: Record<string, unknown> = { thread_id: Number(m[9]), file: m[10], line: Number(m[11]) };
  if (s) for (const key in s.fields) setField(fields, key in fields ? `_${key}` : key, s.fields[key]);
  record.fields = fields;
  return ok(record);
});

export const klog = lineParserPlugin("klog", "Parses Go glog/klog lines (Kubernetes components), with klog's structured key=value tails", parseKlog);
