/**
 * One source of truth: the TypeScript types, validation, the JSON Schema,
 * `logsim plugins` and the resolved config all follow schema.ts, so a new
 * setting there reaches each of them with no other edit. These checks run
 * over every key, so they cover a setting added later as well.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { builtinPlugins, consoleSink, heartbeat } from "../../plugins/mod.ts";
import { describeSettings } from "../../runtime/commands/plugins.ts";
import type { LogsimConfig, PipelineConfig } from "./define.ts";
import { z } from "zod";
import { duration } from "./fields.ts";
import { configJsonSchema, plainConfig, plainSettings } from "./plain.ts";
import { pipelineSettings, ROLES, topSettings } from "./schema.ts";
import { validateConfig } from "./validate.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// Compile-time: the types users write come from the schemas, key for key (tsc fails if they drift).
const pipelineTypeKeys: Equal<keyof PipelineConfig, keyof typeof ROLES | keyof typeof pipelineSettings.shape> = true;
const topTypeKeys: Equal<Exclude<keyof LogsimConfig, "pipelines" | "services" | "$schema">, keyof typeof topSettings.shape> = true;

const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
interface JsonObject { properties: Record<string, { description?: string; default?: unknown }>; additionalProperties?: JsonObject }
const json = configJsonSchema(builtinPlugins) as unknown as JsonObject & { properties: { pipelines: { additionalProperties: JsonObject } } };
const pipelineJson = json.properties.pipelines.additionalProperties;

test("every pipeline and top-level setting is in the TS type, the JSON Schema (described, same default) and `logsim plugins`", () => {
  assert.ok(pipelineTypeKeys && topTypeKeys);
  const reference = describeSettings();
  for (const [keys, where] of [[Object.keys(pipelineSettings.shape), pipelineJson], [Object.keys(topSettings.shape), json]] as const) {
    for (const key of keys) {
      const property = where.properties[key];
      assert.ok(property, `${key} in the JSON Schema`);
      assert.ok(property.description, `${key} described in the JSON Schema`);
      assert.ok(reference.split("\n").some((line) => line.startsWith(`  ${key}: `)), `${key} in logsim plugins`);
    }
  }
  assert.deepEqual(pipelineJson.properties.channel!.default, pipelineSettings.shape.channel.parse(undefined), "defaults written once");
  assert.deepEqual(Object.keys(pipelineJson.properties).sort(), [...Object.keys(ROLES), ...Object.keys(pipelineSettings.shape)].sort(), "nothing else in the JSON Schema");
});

test("every setting reaches the resolved config and its plain-data view", () => {
  const resolved = validateConfig({ pipelines: { p: { sources: [heartbeat()], sinks: [consoleSink()], flushInterval: "2s" } }, hookTimeout: 3 }, { registry })._unsafeUnwrap();
  const pipeline = resolved.pipelines[0]!;
  for (const key of Object.keys(pipelineSettings.shape)) assert.ok(pipeline[key as keyof typeof pipeline] !== undefined, `${key} resolved`);
  for (const key of Object.keys(topSettings.shape)) assert.ok(resolved[key as keyof typeof resolved] !== undefined, `${key} resolved`);
  const plain = plainConfig(resolved) as { pipelines: { p: Record<string, unknown> }; hookTimeout: unknown };
  assert.deepEqual([plain.pipelines.p.flushInterval, plain.hookTimeout], ["2000ms", "3000ms"], "durations shown as durations");
  for (const key of Object.keys(pipelineSettings.shape)) assert.ok(key in plain.pipelines.p, `${key} in the plain view`);
  const again = validateConfig(plain, { registry });
  assert.ok(again.isOk(), "the plain view is itself a valid config");
});

test("unknown settings are refused from the schema (no key list), with a did-you-mean", () => {
  const result = validateConfig({ pipelines: { p: { sources: [heartbeat()], sinks: [consoleSink()], flushIntervall: "1s", channel: { capacty: 2 } } }, hooktimeout: 1 }, { registry });
  assert.ok(result.isErr());
  assert.deepEqual(result.error.issues.map((i) => `${i.path}: ${i.message}`).sort(), [
    'hooktimeout: unknown setting; did you mean "hookTimeout"?',
    'pipelines.p.channel.capacty: unknown setting; did you mean "capacity"?',
    'pipelines.p.flushIntervall: unknown setting; did you mean "flushInterval"?',
  ]);
});

test("the JSON Schema takes the id option on every plugin and checks its charset, as validation does", () => {
  const check = new Ajv2020({ strict: false, allErrors: true }).compile(json);
  const config = (id: string) => ({ pipelines: { p: { sources: [{ use: "tail", id, include: "*.log" }], sinks: [{ use: "console", id: "screen" }] } } });
  assert.equal(check(config("app-logs")), true, JSON.stringify(check.errors));
  assert.ok(validateConfig(config("app-logs"), { registry }).isOk());
  assert.equal(check(config("../up")), false);
  assert.ok(validateConfig(config("../up"), { registry }).isErr());
});

test("a setting added later with nested durations (a retry policy) shows them as durations, so the plain view validates to the same values", () => {
  const shape = { retry: z.strictObject({ backoff: duration().prefault("1s"), attempts: z.number().default(3) }).prefault({}), flushInterval: duration().optional() };
  const parsed = z.strictObject(shape).parse({ retry: { backoff: "250ms" }, flushInterval: 2 });
  const plain = plainSettings(shape, parsed);
  assert.deepEqual(plain, { retry: { backoff: "250ms", attempts: 3 }, flushInterval: "2000ms" });
  assert.deepEqual(z.strictObject(shape).parse(plain), parsed);
});
