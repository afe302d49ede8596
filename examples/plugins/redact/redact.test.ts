/**
 * The redact transform on realistic traffic, as a user runs it: JSON log
 * lines through the json parser and redact. No planted secret survives in
 * the message, the raw line or the fields; no look-alike is touched.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogRecord, Parser, PluginContext, Transform } from "../../../core/mod.ts";
import { json } from "../../../plugins/mod.ts";
import { pluginContext } from "../_testing.ts";
import { mixedMessages } from "./mixed-messages.ts";
import { redact, redactSchema } from "./mod.ts";

const ctx: PluginContext = pluginContext();

test("10,000 mixed JSON lines: every planted secret is gone from message, raw and fields; every look-alike stays", () => {
  const parser = json.definition.create(json.definition.schema.parse({}), ctx) as Parser;
  const transform = redact.definition.create(redactSchema.parse({}), ctx) as Transform;
  const { messages, secrets, keep } = mixedMessages(10_000, 7);
  const output: string[] = [];
  const leaked: string[] = [];
  const lost: string[] = [];
  messages.forEach((message, i) => {
    const line = JSON.stringify({ time: "2026-11-29T10:00:00Z", level: "INFO", service: "shop", message, user: { email: i % 50 === 0 ? "ops@shop.example" : undefined, session_id: `s-${i}` } });
    const parsed = parser.parse({ kind: "line", text: line });
    assert.ok(parsed.isOk(), line);
    const out = JSON.stringify(transform.transform(parsed.value as LogRecord));
    output.push(out);
    leaked.push(...secrets[i]!.filter((s) => out.includes(s)));
    lost.push(...keep[i]!.filter((s) => !out.includes(s)));
  });
  const all = output.join("\n");
  const planted = (list: string[][]) => list.reduce((n, l) => n + l.length, 0);
  assert.deepEqual(leaked.slice(0, 5), [], `${leaked.length} of ${planted(secrets)} secrets leaked`);
  assert.deepEqual(lost.slice(0, 5), [], `${lost.length} of ${planted(keep)} look-alikes were redacted`);
  assert.ok(!all.includes("ops@shop.example") && !/"session_id":"s-\d/.test(all), "nested fields too");
  assert.ok(planted(secrets) > 1_000 && planted(keep) > 1_000, "the corpus plants enough of both");
});
