import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { heartbeat } from "../../plugins/heartbeat/mod.ts";
import { definePlugin } from "../plugin.ts";
import { plainConfig } from "./plain.ts";
import { isSecretKey, redact, redactString } from "./redact.ts";
import { validateConfig } from "./validate.ts";

const R = "[redacted]";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIB\n-----END PRIVATE KEY-----";
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

test("secret keys: every common spelling is hidden; keys that describe a secret are not", () => {
  const secret = [
    "password", "Password", "PASSWORD", "db_password", "dbPassword", "passwd", "pwd", "pass", "passphrase", "secret", "clientSecret", "client_secret",
    "token", "accessToken", "access_token", "refresh-token", "api_key", "apiKey", "APIKey", "API_KEY", "x-api-key", "apikey", "access_key", "accessKey",
    "aws_secret_access_key", "private_key", "privateKey", "secret_key", "credentials", "credential", "auth", "Authorization", "authorization",
    "dsn", "DSN", "sentryDsn", "connection_string", "connectionString", "ConnectionString", "connstr", "cookie", "Cookie", "session", "session_id",
    "sessionId", "bearer", "jwt", "oauth", "pin", "signing_key", "webhookSecret",
  ];
  for (const key of secret) assert.equal(isSecretKey(key), true, key);
  const shown = [
    "token_count", "tokenCount", "maxTokens", "password_file", "passwordFile", "private_key_path", "auth_type", "authType", "cookieName", "cookie_name",
    "authUrl", "tokenHeader", "session_timeout", "sessionTtl", "secretName", "path", "author", "passthrough", "bypass", "keyboard", "key", "monkey",
    "db_url", "url", "host", "level", "message", "tokenizer", "compass", "sessionsPerUser",
  ];
  for (const key of shown) assert.equal(isSecretKey(key), false, key);
});

test("values under secret keys are replaced whole, recursively and in arrays; booleans, null, empty strings and non-password numbers stay", () => {
  assert.deepEqual(
    redact({
      services: [{ use: "web", token: "tok-0123456789abcdef", title: "logs" }],
      db: { credentials: { user: "app", password: "pw" }, password: 1234, session: 6, auth: false, secret: "", apiKey: null, tokens: ["a", "b"] },
      list: [[{ Authorization: "Basic dXNlcjpwYXNz" }], { private_key: PEM }],
      token_count: 5,
      mix: { session: 6, api: 3, job: 1 },
    }),
    {
      services: [{ use: "web", token: R, title: "logs" }],
      db: { credentials: R, password: R, session: 6, auth: false, secret: "", apiKey: null, tokens: R },
      list: [[{ Authorization: R }], { private_key: R }],
      token_count: 5,
      mix: { session: 6, api: 3, job: 1 },
    },
  );
});

test("secret shapes are found in any string, and only the secret part is replaced", () => {
  const cases: Array<[string, string]> = [
    ["postgres://app:s3cr3t@db.internal:5432/logs", `postgres://app:${R}@db.internal:5432/logs`],
    ["mongodb+srv://admin:p%40ss@cluster0.example.net/db?retryWrites=true", `mongodb+srv://admin:${R}@cluster0.example.net/db?retryWrites=true`],
    ["redis://:onlypassword@cache:6379/0", `redis://:${R}@cache:6379/0`],
    ["https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git", `https://${R}@github.com/o/r.git`],
    ["https://api.example.com/v1?api_key=abc123&limit=10&token=xyz", `https://api.example.com/v1?api_key=${R}&limit=10&token=${R}`],
    ["Server=db;Database=logs;User Id=sa;Password=Pa55;Encrypt=true", `Server=db;Database=logs;User Id=sa;Password=${R};Encrypt=true`],
    ["host=db user=app password='two words' dbname=x", `host=db user=app password=${R} dbname=x`],
    ["Bearer eyJhbGciOi.abc123def", `Bearer ${R}`],
    ["Authorization: Bearer 0123456789abcdef", `Authorization: Bearer ${R}`],
    ["Basic dXNlcjpwYXNzd29yZA==", `Basic ${R}`],
    [`key:\n${PEM}\nend`, `key:\n${R}\nend`],
    [`jwt ${JWT} here`, `jwt ${R} here`],
    ["AKIAIOSFODNN7EXAMPLE", R],
    ["slack xoxb-1234567890-abcdefghij", `slack ${R}`],
    ["sk_live_51Habcdefghij", R],
  ];
  for (const [input, expected] of cases) assert.equal(redactString(input), expected, input);
  // Near misses: look like the shapes, hold no secret.
  const untouched = [
    "https://example.com/path?limit=10&level=warn",
    "ssh://git@github.com/o/r.git",
    "http://user@host/",
    "Bearer tokens rotated",
    "Basic authentication enabled",
    "Basic setup",
    "logs/app.log",
    "a=b;c=d",
    "token_count=5",
    "eyJ alone",
    "AKIA-not-a-key",
    "-----BEGIN CERTIFICATE is mentioned here",
    "%(asctime)s %(levelname)s %(message)s",
    "password_file=/run/secrets/db",
  ];
  for (const text of untouched) assert.equal(redactString(text), text, text);
  assert.deepEqual(redact({ db_url: "postgres://app:s3cr3t@db/x", note: "Bearer tokens rotated" }), { db_url: `postgres://app:${R}@db/x`, note: "Bearer tokens rotated" });
});

test("cycles, deep nesting, throwing getters and Proxy traps give placeholders, never a throw", () => {
  const cyclic: Record<string, unknown> = { name: "a" };
  cyclic.self = cyclic;
  assert.deepEqual(redact(cyclic), { name: "a", self: "[circular]" });
  const shared = { password: "x" };
  assert.deepEqual(redact({ a: shared, b: shared }), { a: { password: R }, b: { password: R } }, "a shared object is not a cycle");
  let deep: unknown = "bottom";
  for (let i = 0; i < 200; i++) deep = { d: deep };
  assert.doesNotThrow(() => JSON.stringify(redact(deep)));
  const getter = { ok: 1, get boom() { throw new Error("no"); } };
  assert.deepEqual(redact({ getter }), { getter: "[unreadable]" });
  const proxy = new Proxy({}, { ownKeys() { throw new Error("no keys"); } });
  assert.deepEqual(redact({ proxy, list: [proxy] }), { proxy: "[unreadable]", list: ["[unreadable]"] });
  assert.deepEqual(redact({ when: new Date(0), re: /pass=\w+/i }), { when: new Date(0), re: "/pass=\\w+/i" });
});

test("plainConfig (what GET /api/config serves) hides what the issue found shown: db_url's password, private_key, dsn, connectionString, a bearer value", () => {
  const anything = definePlugin({ kind: "sink", name: "anything", description: "test sink", schema: z.object({}).loose(), create: () => ({ write() {}, flush() {}, close() {} }) });
  const options = {
    db_url: "postgres://app:hunter2@db:5432/logs",
    private_key: PEM,
    dsn: "https://abc123@o1.ingest.example.io/42",
    connectionString: "Server=db;Password=hunter2",
    headers: { "X-Custom": "Bearer 0123456789abcdef" },
    password: "hunter2",
    apiKey: "k-123",
    token_count: 5,
  };
  const resolved = validateConfig({ pipelines: { p: { sources: [heartbeat()], sinks: [anything(options as never)] } } }, { registry: new Map() });
  const config = resolved.isOk() ? resolved.value : assert.fail(JSON.stringify(resolved.error));
  const text = JSON.stringify(plainConfig(config));
  assert.doesNotMatch(text, /hunter2|MIIE|abc123|0123456789abcdef|k-123/);
  const sink = (plainConfig(config) as { pipelines: { p: { sinks: Array<Record<string, unknown>> } } }).pipelines.p.sinks[0]!;
  assert.deepEqual(sink, {
    use: "anything",
    id: "p.anything",
    db_url: `postgres://app:${R}@db:5432/logs`,
    private_key: R,
    dsn: R,
    connectionString: R,
    headers: { "X-Custom": `Bearer ${R}` },
    password: R,
    apiKey: R,
    token_count: 5,
  });
});
