/**
 * The syslog writer's escapes, read back by logsim's syslog parser. The parser is being
 * rewritten on another branch: values with line breaks may come back decoded (a reader
 * that knows the `\n` convention) or as the escape's two characters (a reader that
 * knows only RFC 5424); everything else must come back exactly.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogRecord, RawLine } from "../types.ts";
import { envAt, parseSyslog } from "../../plugins/parsers/mod.ts";
import { syslogFormat } from "../line-format.ts";

const NOW = envAt(Date.parse("2026-11-24T00:00:00Z"));
const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/var/log/app.log", offset: 0 } });

const VALUES = ['say "hi"', "back\\slash", "close]bracket", 'all \\"] three', "trailing\\", "[open", "a=b c", "naïve ☃ 日本", "#012 stays", "", "\\n is two characters here"];
const BREAKS = ["line\nbreak", "cr\rlf\r\n", "\n"];

test("syslog: structured-data values escape \", \\ and ] as RFC 5424 says, and read back exactly", () => {
  const fields: Record<string, unknown> = { event: "test.values" };
  VALUES.forEach((v, i) => (fields[`v${i}`] = v));
  const record: LogRecord = { time: Date.parse("2026-11-23T10:00:00.123Z"), level: "WARN", service: "svc", message: "m", fields };
  const text = syslogFormat().format(record);
  assert.ok(text.includes('v0="say \\"hi\\""') && text.includes('v1="back\\\\slash"') && text.includes('v2="close\\]bracket"'), text);
  const r = parseSyslog(line(text), NOW)._unsafeUnwrap();
  const got = r.fields!;
  VALUES.forEach((v, i) => assert.equal(got[`v${i}`], v, `v${i}: ${JSON.stringify(v)} in ${text}`));
  assert.equal(r.message, "m");
});

test("syslog: no raw line break in a record; values escape it as \\n and \\r, the message as rsyslog does (#012)", () => {
  const fields: Record<string, unknown> = {};
  BREAKS.forEach((v, i) => (fields[`b${i}`] = v));
  const message = 'two\nlines\r\nand a tab\there, a bell\x07, "quotes" ] and \\ kept';
  const text = syslogFormat().format({ time: 0, level: "INFO", service: "svc", message, fields });
  assert.doesNotMatch(text, /[\n\r\x07]/);
  assert.ok(text.includes('b0="line\\nbreak"') && text.includes('b1="cr\\rlf\\r\\n"'), text);
  const r = parseSyslog(line(text), NOW)._unsafeUnwrap();
  assert.equal(r.message, 'two#012lines#015#012and a tab\there, a bell#007, "quotes" ] and \\ kept');
  BREAKS.forEach((v, i) => {
    const escaped = v.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
    assert.ok(r.fields![`b${i}`] === v || r.fields![`b${i}`] === escaped, `b${i}: ${JSON.stringify(r.fields![`b${i}`])}`);
  });
});

test("syslog: a message that looks like structured data or starts with - stays the message", () => {
  for (const message of ["[not sd] text", "- dash first", "", "]"]) {
    const text = syslogFormat().format({ time: 0, level: "ERROR", service: "svc", message });
    assert.equal(parseSyslog(line(text), NOW)._unsafeUnwrap().message, message, text);
  }
});
