import { test } from "node:test";
import assert from "node:assert/strict";
import { compileCondition, type ConditionOptions } from "./conditions.ts";
import type { LogRecord } from "./types.ts";

const record = (over: Partial<LogRecord> = {}): LogRecord => ({ time: 0, level: "INFO", message: "user u-1 login ok", raw: '{"msg":"payment"}', service: "auth", fields: { status: 200, code: "404", ok: true, nested: { id: 7 } }, ...over });
const condition = (o: Partial<ConditionOptions>) => compileCondition({ ignoreCase: false, ...o } as ConditionOptions);

test("equals on the record's own keys: service, level, message compared as they are", () => {
  assert.equal(condition({ field: "service", equals: "auth" })(record()), true);
  assert.equal(condition({ field: "service", equals: "payment" })(record()), false);
  assert.equal(condition({ field: "service", equals: "auth" })(record({ service: undefined })), false);
  assert.equal(condition({ field: "level", equals: "INFO" })(record()), true);
  assert.equal(condition({ field: "message", equals: "user u-1 login ok" })(record()), true);
});

test("equals across types compares as text: 200 equals \"200\", true equals \"true\"; same types compare exactly", () => {
  assert.equal(condition({ field: "status", equals: "200" })(record()), true);
  assert.equal(condition({ field: "status", equals: 200 })(record()), true);
  assert.equal(condition({ field: "status", equals: 201 })(record()), false);
  assert.equal(condition({ field: "code", equals: 404 })(record()), true);
  assert.equal(condition({ field: "code", equals: "405" })(record()), false);
  assert.equal(condition({ field: "ok", equals: "true" })(record()), true);
  assert.equal(condition({ field: "ok", equals: false })(record()), false);
  assert.equal(condition({ field: "nested.id", equals: "7" })(record()), true);
  assert.equal(condition({ field: "missing", equals: "undefined" })(record()), false);
});

test("match reads the field it names: message is the message, not the raw line; raw is the default", () => {
  assert.equal(condition({ field: "message", match: "login" })(record()), true);
  assert.equal(condition({ field: "message", match: "payment" })(record()), false);
  assert.equal(condition({ match: "payment" })(record()), true);
  assert.equal(condition({ field: "service", match: "^au" })(record()), true);
  assert.equal(condition({ field: "status", match: "^20\\d$" })(record()), true);
  assert.equal(condition({ field: "nested", match: '"id":7' })(record()), true);
});
