import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { propertyParameters } from "../../tests/_property.ts";
import type { LogRecord, PluginContext, Transform } from "../../core/mod.ts";
import { createRedactor, redact, redactSchema } from "./mod.ts";

const make = (options: unknown = {}) => redact.definition.create(redactSchema.parse(options), {} as PluginContext) as Transform;
const text = (options: unknown = {}) => createRedactor(redactSchema.parse(options)).text;
const R = "[REDACTED]";

test("each kind on realistic lines: only the secret part goes", () => {
  const t = text();
  const cases: Array<[string, string]> = [
    ["GET /api/v1/cart?session_id=9f8e7d6c5b4a&page=2 HTTP/1.1", `GET /api/v1/cart?session_id=${R}&page=2 HTTP/1.1`],
    ["Set-Cookie: JSESSIONID=1A2B3C4D5E6F; Path=/; HttpOnly", `Set-Cookie: JSESSIONID=${R}; Path=/; HttpOnly`],
    ['{"user":"u-1","session_token":"bb27f0ae4a190c172a3e07ad","status":200}', `{"user":"u-1","session_token":"${R}","status":200}`],
    ["password reset mail sent to jane.doe+shop@example.co.uk", `password reset mail sent to ${R}`],
    ["charged card 4111 1111 1111 1111 for order 4111111111111112", `charged card ${R} for order 4111111111111112`],
    ["refund to 5555-5555-5555-4444 at ts=1732900000000", `refund to ${R} at ts=1732900000000`],
    ["db connect postgres://shop:S3cr3t!@db.internal:5432/orders", `db connect postgres://shop:${R}@db.internal:5432/orders`],
    ["Authorization: Bearer abc.def-123_ghi", `Authorization: Bearer ${R}`],
    ["Authorization: Basic dXNlcjpwYXNzd29yZA==", `Authorization: Basic ${R}`],
    ["login failed user=bob password=hunter2 retries=3", `login failed user=bob password=${R} retries=3`],
    ["config loaded api_key: AbC123xyz, db_password='p a s s'", `config loaded api_key: ${R}, db_password='${R}'`],
    ["id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", `id_token ${R} ok`],
    ["key AKIAIOSFODNN7EXAMPLE and ghp_abcdefghijklmnopqrstuvwxyz0123456789", `key ${R} and ${R}`],
  ];
  for (const [input, expected] of cases) assert.equal(t(input), expected, input);
});

test("what looks like a secret but is not stays: order ids, timestamps, prose, ids", () => {
  const t = text();
  const untouched = [
    "order 4111111111111112 shipped", // fails Luhn
    "ts=1732900000000 took 1234567890123 ns", // no issuer prefix
    "Token refreshed for user u-1034", // prose after Token
    "trace_id=0be48c6574c4d7bfc3842ad61a181add request_id=r-898fd49d4c67",
    "max_tokens=100 token_count=5 the tokens: plenty",
    "event=session.login flow=session", // the word session, not a session key
    "phone +1 650 253 0000, room 4111",
    "user@localhost has no domain, x@b.io4r no real top-level domain",
  ];
  for (const line of untouched) assert.equal(t(line), line, line);
});

test("fields: named secrets lose their value, strings are scanned, nested too; the record's fields are copied, not changed", () => {
  const fields = { session_token: "bb27f0ae", user_id: "u-1", email: "a.b@shop.io", http: { authorization: "Bearer x", url: "https://u:p@h/x" }, card: 4111111111111111, token_count: 5, tags: ["ok"] };
  const record: LogRecord = { time: 0, level: "INFO", message: "login ok", raw: "login ok", fields };
  const out = make().transform(record)!;
  assert.deepEqual(out.fields, { session_token: R, user_id: "u-1", email: R, http: { authorization: R, url: `https://u:${R}@h/x` }, card: R, token_count: 5, tags: ["ok"] });
  assert.equal(fields.session_token, "bb27f0ae", "the source's object is left as it was");
  assert.equal(out.fields!.tags, fields.tags, "an unchanged value is not copied");
});

test("message and raw are both redacted (raw would leak the whole line)", () => {
  const out = make().transform({ time: 0, level: "INFO", message: "login password=x1", raw: "2026-11-29 INFO login password=x1" })!;
  assert.equal(out.message, `login password=${R}`);
  assert.equal(out.raw, `2026-11-29 INFO login password=${R}`);
});

test("options: kinds, except, replacement with {kind}, extra patterns with a secret group, fields, keys", () => {
  assert.equal(text({ kinds: ["email"] })("a@b.io password=x"), `${R} password=x`);
  assert.equal(text({ except: ["email"] })("a@b.io password=x"), `a@b.io password=${R}`);
  assert.equal(text({ replacement: "<{kind}>" })("a@b.io 4111111111111111"), "<email> <card>");
  const custom = text({ patterns: ["ssn=(?<secret>\\d{3}-\\d{2}-\\d{4})", { name: "iban", match: "\\bDE\\d{20}\\b", replacement: "IBAN-HIDDEN" }] });
  assert.equal(custom("ssn=123-45-6789 iban DE89370400440532013000"), `ssn=${R} iban IBAN-HIDDEN`);
  const listed = make({ fields: ["note"], keys: ["pin_code"] }).transform({ time: 0, level: "INFO", message: "m", fields: { note: "a@b.io", other: "a@b.io", pin_code: 1234 } })!;
  assert.deepEqual(listed.fields, { note: R, other: "a@b.io", pin_code: R });
});

test("unsafe or invalid extra patterns and unknown kinds are config errors", () => {
  const issues = (options: unknown) => { const r = redactSchema.safeParse(options); return r.success ? [] : r.error.issues.map((i) => i.message); };
  assert.match(issues({ patterns: ["(a)\\1"] }).join(), /backreferences/);
  assert.match(issues({ patterns: ["(unclosed"] }).join(), /invalid regular expression/);
  assert.ok(issues({ kinds: ["phone"] }).length > 0);
  assert.ok(issues({ replacment: "x" }).length > 0, "a misspelt option is refused");
});

test("extra patterns that would backtrack run in linear time", () => {
  const t = text({ patterns: ["(a+)+$"] });
  const hostile = `${"a".repeat(30_000)}!`;
  const start = performance.now();
  assert.equal(t(hostile), hostile);
  assert.ok(performance.now() - start < 5_000, "re2js, not a backtracking engine");
});

test("never throws, and redacting twice changes nothing more (fast-check)", () => {
  const t = text();
  const piece = fc.constantFrom("password=", "api_key: ", '"session_token":"', "Bearer ", "https://u:", "@", "a@b.io", "4111 1111 1111 1111", "eyJ", "eyJabcdef.eyJabcdef.", " ", "[", "]", "\"", "=", ":");
  const input = fc.array(fc.oneof(fc.string(), piece, fc.string({ unit: "grapheme" })), { maxLength: 12 }).map((parts) => parts.join(""));
  fc.assert(fc.property(input, (s) => {
    const once = t(s);
    assert.equal(t(once), once);
  }), propertyParameters(2000));
});

test("hostile inputs take linear time: long runs of what the patterns start with", () => {
  const t = text();
  for (const unit of ["a", "1", "1 ", "eyJ", "password=", "@a", "a.", "https://", "=", "token "]) {
    const input = unit.repeat(Math.ceil(200_000 / unit.length));
    const start = performance.now();
    t(input);
    const ms = performance.now() - start;
    assert.ok(ms < 3_000, `${JSON.stringify(unit)} x ${input.length / unit.length}: ${ms.toFixed(0)} ms`);
  }
});
