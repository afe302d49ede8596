import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { builtinPlugins } from "../../plugins/mod.ts";
import { configJsonSchema, plainConfig, redact } from "./plain.ts";
import { validateConfig } from "./validate.ts";

const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
const ajv = new Ajv2020({ strict: false, allErrors: true });
const check = ajv.compile(configJsonSchema(builtinPlugins));

const good = {
  $schema: "./logsim.schema.json",
  pipelines: {
    heartbeat: {
      sources: [{ use: "heartbeat", interval: "5s", level: "INFO" }],
      sinks: [{ use: "console" }, { use: "rotating-file", path: "logs/app.log", maxBytes: 1_048_576, backups: 3 }],
      channel: { capacity: 8 },
    },
  },
};

test("the JSON Schema accepts a config that logsim accepts, and a standard validator rejects a wrong one", () => {
  assert.equal(check(good), true, JSON.stringify(check.errors));
  assert.ok(validateConfig(good, { registry }).isOk());
  const wrongOption = structuredClone(good) as typeof good;
  (wrongOption.pipelines.heartbeat.sinks[1] as Record<string, unknown>).maxBytes = "big";
  assert.equal(check(wrongOption), false);
  const unknownPlugin = { pipelines: { p: { sources: [{ use: "nope" }], sinks: [{ use: "console" }] } } };
  assert.equal(check(unknownPlugin), false);
  const sinkAsSource = { pipelines: { p: { sources: [{ use: "console" }], sinks: [{ use: "console" }] } } };
  assert.equal(check(sinkAsSource), false);
});

test("plainConfig gives back the plain-data form as written, with pipeline settings resolved and secrets redacted", () => {
  const resolved = validateConfig(good, { registry })._unsafeUnwrap();
  const plain = plainConfig(resolved) as { pipelines: Record<string, { sources: unknown[]; channel: unknown }> };
  assert.deepEqual(plain.pipelines.heartbeat!.sources, [{ use: "heartbeat", id: "heartbeat.heartbeat", interval: "5s", level: "INFO" }]);
  assert.deepEqual(plain.pipelines.heartbeat!.channel, { capacity: 8, overflow: "block" });
  assert.deepEqual(redact({ a: { token: "t", password: "p", apiKey: "k", path: "x" }, list: [{ secret: 1 }] }), {
    a: { token: "[redacted]", password: "[redacted]", apiKey: "[redacted]", path: "x" },
    list: [{ secret: "[redacted]" }],
  });
});
