// logrus's TextFormatter (no TTY) writes logfmt: the `logfmt` parser reads it; these are the logrus README's lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { UTC } from "./_time.ts";
import { line } from "../../tests/_parser-programs.ts";
import { parseLogfmt } from "./logfmt.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const T = Date.parse("2015-03-26T05:27:38Z");

test("logfmt reads logrus's TextFormatter lines (github.com/sirupsen/logrus README)", () => {
  const cases: Array<[string, string, string, Record<string, unknown>]> = [
    ['time="2015-03-26T01:27:38-04:00" level=debug msg="Started observing beach" animal=walrus number=8', "DEBUG", "Started observing beach", { animal: "walrus", number: 8 }],
    ['time="2015-03-26T01:27:38-04:00" level=info msg="A group of walrus emerges from the ocean" animal=walrus size=10', "INFO", "A group of walrus emerges from the ocean", { animal: "walrus", size: 10 }],
    ["time=\"2015-03-26T01:27:38-04:00\" level=warning msg=\"The group's number increased tremendously!\" number=122 omg=true", "WARN", "The group's number increased tremendously!", { number: 122, omg: true }],
    ['time="2015-03-26T01:27:38-04:00" level=debug msg="Temperature changes" temperature=-4', "DEBUG", "Temperature changes", { temperature: -4 }],
    ["time=\"2015-03-26T01:27:38-04:00\" level=panic msg=\"It's over 9000!\" animal=orca size=9009", "FATAL", "It's over 9000!", { animal: "orca", size: 9009 }],
  ];
  for (const [text, level, message, fields] of cases) {
    const r = parseLogfmt(line(text), NOW)._unsafeUnwrap();
    assert.deepEqual([r.time, r.level, r.message, r.fields], [T, level, message, fields], text);
  }
});

test("the README's last line, from an old logrus that did not quote a struct value, is not logfmt", () => {
  const old = "time=\"2015-03-26T01:27:38-04:00\" level=fatal msg=\"The ice breaks!\" err=&{0x2082280c0 map[animal:orca size:9009] 2015-03-26 01:27:38.441574009 -0400 EDT panic It's over 9000!} number=100 omg=true";
  assert.ok(parseLogfmt(line(old), NOW).isErr());
  // logrus quotes such values since (TextFormatter.needsQuoting), which logfmt reads.
  const now = 'time="2015-03-26T01:27:38-04:00" level=fatal msg="The ice breaks!" err="&{0x2082280c0 map[animal:orca size:9009]}" number=100 omg=true';
  assert.deepEqual(parseLogfmt(line(now), NOW)._unsafeUnwrap().fields, { err: "&{0x2082280c0 map[animal:orca size:9009]}", number: 100, omg: true });
});
