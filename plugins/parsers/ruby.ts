/**
 * `ruby`: Ruby's Logger with its default formatter (`Logger::Formatter`, `"%.1s, [%s #%d] %5s -- %s: %s\n"`):
 * `I, [2026-03-07T09:00:01.123456 #1234]  INFO -- progname: message`, in the writer's local time.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, levelOf, parseTime, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

// The time is `%Y-%m-%dT%H:%M:%S.%6N` unless a `datetime_format` was set, so any time parseTime reads is taken.
const RUBY = /^([DIWEFA]), \[(.{1,64}?) ?#(\d+)\] +([A-Z]+) -- (.*?): /s;

export const parseRuby: LineParser = withUtf8Check((line, env) => {
  const m = RUBY.exec(line.text);
  if (!m) return fail("not a Ruby Logger line");
  const time = parseTime(m[2], env.now, env.zone, env.seconds);
  if (time === undefined) return fail("invalid timestamp");
  if (m[4]![0] !== m[1]) return fail("the severity letter and word differ");
  // UNKNOWN is written `ANY`: a message logged whatever the level, kept at INFO with its severity as a field.
  const level = m[4] === "ANY" ? "INFO" : levelOf(m[4]);
  if (!level) return fail(`unknown level "${m[4]}"`);
  const record = base(line, "ruby", time, level, line.text.slice(m[0].length));
  if (m[5]) record.service = m[5];
  record.fields = m[4] === "ANY" ? { pid: Number(m[3]), severity: "ANY" } : { pid: Number(m[3]) };
  return ok(record);
});

export const ruby = lineParserPlugin("ruby", "Parses Ruby Logger lines (its default formatter)", parseRuby);
