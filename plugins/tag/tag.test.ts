import { test } from "node:test";
import assert from "node:assert/strict";
import type { PluginContext, Transform } from "../../core/plugin.ts";
import type { LogRecord } from "../../core/types.ts";
import { tag } from "./mod.ts";

const make = (options: unknown) => tag.definition.create(tag.definition.schema.parse(options), {} as PluginContext) as Transform;
const rec = (raw: string, extra: Partial<LogRecord> = {}): LogRecord => ({ time: 0, level: "INFO", message: raw, raw, ...extra });

test("every matching rule adds its tag, once, after the tags already there", () => {
  const t = make({ rules: [{ tag: "payment", match: "payment|refund" }, { tag: "api", match: "POST |/api/" }, { tag: "api", match: "GET " }, { tag: "slow", field: "latency_ms", match: "^[0-9]{4,}$" }] });
  const r = t.transform(rec("POST /api/v1/payments/refund HTTP/1.1", { tags: ["_partial"], fields: { latency_ms: 1200 } }))!;
  assert.deepEqual(r.tags, ["_partial", "payment", "api", "slow"]);
  assert.equal(t.transform(rec("nothing"))!.tags, undefined);
});

test("default tag when no rule matched; builtin rules match the generator's events", () => {
  const t = make({ builtin: true, default: "other" });
  const tags = (raw: string) => t.transform(rec(raw))!.tags;
  assert.deepEqual(tags('2026-11-23T10:00:00.123Z INFO [auth-service] user=u-1 msg="User logged in" event=session.login'), ["auth"]);
  assert.deepEqual(tags('{"service":"payment-service","message":"Payment authorized"}'), ["payment"]);
  assert.deepEqual(tags('203.0.113.9 - u-1 [23/Nov/2026:10:00:00 +0000] "POST /api/v1/payments/refund HTTP/1.1" 200 5 "-" "-"'), ["payment", "api"]);
  assert.deepEqual(tags("disk almost full"), ["other"]);
});

test("rules on fields and levels", () => {
  const t = make({ rules: [{ tag: "errors", minLevel: "ERROR" }, { tag: "pay", field: "service", equals: "payment-service" }] });
  assert.deepEqual(t.transform(rec("x", { level: "FATAL", service: "payment-service" }))!.tags, ["errors", "pay"]);
  assert.ok(!tag.definition.schema.safeParse({}).success, "rules or builtin required");
  const noField = tag.definition.schema.safeParse({ rules: [{ tag: "x", equals: "payment-service" }] });
  assert.ok(!noField.success && noField.error.issues.some((i) => i.message === "equals needs a field"), "equals without field is refused, as in filter");
});
