import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { textFormat } from "../../core/line-format.ts";
import { envAt, parseAuto, parsePlainText, plainTextParser } from "./mod.ts";
import { UTC } from "./_time.ts";

const NOW = envAt(Date.parse("2026-11-23T12:00:00.000Z"), UTC);
const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/logs/app.log", offset: 0 } });
const read = (text: string, parse = parsePlainText) => {
  const r = parse(line(text), NOW);
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return { service: r.value.service, message: r.value.message, fields: r.value.fields };
};

test("a [word] that starts a message stays in the message; it is the service only on logsim's own lines or when the option says so", () => {
  assert.deepEqual(read("2026-11-23T10:00:00Z INFO [cache] warmed 120 keys"), { service: undefined, message: "[cache] warmed 120 keys", fields: undefined });
  assert.deepEqual(read("2026-11-23T10:00:00Z INFO [main] o.s.b.StartupInfoLogger: Started App in 2.1 s"), { service: undefined, message: "[main] o.s.b.StartupInfoLogger: Started App in 2.1 s", fields: undefined });
  assert.deepEqual(read('2026-11-23T10:00:00Z WARN [retry] attempt=2 msg="gave up"'), { service: "retry", message: "gave up", fields: { attempt: 2 } }, "logsim's text format: key=value tokens with msg=");
  assert.deepEqual(read("2026-11-23T10:00:00Z INFO [cache] attempt=2"), { service: undefined, message: "[cache] attempt=2", fields: { attempt: 2 } }, "key=value without msg= is not logsim's format");
  const always = plainTextParser({ serviceBrackets: true });
  assert.deepEqual(read("2026-11-23T10:00:00Z INFO [cache] warmed 120 keys", always), { service: "cache", message: "warmed 120 keys", fields: undefined });
  assert.deepEqual(read("2026-11-23T10:00:00Z INFO [my svc]: warmed", always), { service: "my svc", message: "warmed", fields: undefined });
  assert.equal(parseAuto(line("2026-11-23T10:00:00Z INFO [cache] warmed 120 keys"), NOW)._unsafeUnwrap().message, "[cache] warmed 120 keys");
});

test("text format: hostile service names are written so the parser reads them back exactly", () => {
  const format = textFormat();
  const services = ["my svc]", 'a"b', "[x]", "-", "", "back\\slash", "tab\there", "new\nline", "ünï ☃", "]", "[", '"', "a=b", "payment-service", undefined];
  for (const service of services) {
    const record: LogRecord = { time: Date.parse("2026-11-23T10:00:00.123Z"), level: "INFO", service, message: "[boot] started", fields: { user_id: "u-1", seq: 3 } };
    const text = format.format(record);
    assert.ok(!text.includes("\n"), JSON.stringify(text));
    for (const parse of [parsePlainText, parseAuto]) {
      assert.deepEqual(read(text, parse), { service, message: "[boot] started", fields: { user_id: "u-1", seq: 3 } }, text);
    }
  }
  assert.match(format.format({ time: 0, level: "INFO", service: "my svc]", message: "m" }), / \["my svc]"\] msg="m"$/);
  assert.match(format.format({ time: 0, level: "INFO", service: "payment-service", message: "m" }), / \[payment-service\] msg="m"$/);
});
