import { test } from "node:test";
import assert from "node:assert/strict";
import type { PluginContext, Transform } from "../../core/plugin.ts";
import type { LogRecord } from "../../core/types.ts";
import { filter } from "./mod.ts";

const make = (options: unknown) => filter.definition.create(filter.definition.schema.parse(options), {} as PluginContext) as Transform;
const rec = (message: string, extra: Partial<LogRecord> = {}): LogRecord => ({ time: 0, level: "INFO", message, raw: `RAW ${message}`, ...extra });
const kept = (t: Transform, records: LogRecord[]) => records.filter((r) => t.transform(r)).map((r) => r.message);

test("keeps or drops by regex on the raw line, a field, a value or a level", () => {
  const records = [rec("Payment authorized", { service: "payment-service", fields: { status: 200 } }), rec("all good", { level: "ERROR" }), rec("x", { level: "WARN", fields: { status: 503 } })];
  assert.deepEqual(kept(make({ match: "ERROR|payment" }), records), [], "case-sensitive, on the raw line by default");
  assert.deepEqual(kept(make({ match: "error|payment", ignoreCase: true }), records), ["Payment authorized"]);
  assert.deepEqual(kept(make({ field: "level", match: "ERROR" }), records), ["all good"]);
  assert.deepEqual(kept(make({ field: "service", equals: "payment-service", action: "drop" }), records), ["all good", "x"]);
  assert.deepEqual(kept(make({ field: "status", equals: 503 }), records), ["x"]);
  assert.deepEqual(kept(make({ minLevel: "WARN" }), records), ["all good", "x"]);
  assert.deepEqual(kept(make({ levels: ["warn"] }), records), ["x"]);
});

test("options are checked: a condition is required, unsafe regexes are refused", () => {
  assert.ok(!filter.definition.schema.safeParse({}).success);
  assert.ok(!filter.definition.schema.safeParse({ equals: "x" }).success);
  const bad = filter.definition.schema.safeParse({ match: "(a)\\1" });
  assert.ok(!bad.success && /backreferences/.test(bad.error.issues[0]!.message));
});
