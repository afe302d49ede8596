import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { builtinPlugins, consoleSink, generator, heartbeat, jsonl, tail, web } from "../../plugins/mod.ts";
import { formatError } from "../errors.ts";
import { definePlugin } from "../plugin.ts";
import { validateConfig, type ResolvedConfig } from "./validate.ts";

const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
const resolve = (value: unknown): ResolvedConfig => {
  const result = validateConfig(value, { registry });
  return result.isOk() ? result.value : assert.fail(formatError(result.error).join("\n"));
};
const problems = (value: unknown) => {
  const result = validateConfig(value, { registry });
  return result.isErr() ? formatError(result.error) : assert.fail("expected the config to be refused");
};
const ids = (config: ResolvedConfig) => [
  ...config.pipelines.flatMap((p) => [...p.sources, ...p.parsers, ...p.transforms, ...p.sinks].map((x) => `${x.location} ${x.id}`)),
  ...config.services.map((x) => `${x.location} ${x.id}`),
];
const idOf = (config: ResolvedConfig, location: string) => ids(config).find((line) => line.startsWith(`${location} `))?.split(" ")[1];

test("default ids are <pipeline>.<plugin-name>, numbered from -2 for repeats; services' are <plugin-name>", () => {
  const config = resolve({
    pipelines: { collect: { sources: [tail({ include: "a/*.log" }), heartbeat(), tail({ include: "b/*.log" })], sinks: [jsonl({ path: "out.jsonl" })] } },
    services: [web()],
  });
  assert.deepEqual(ids(config), [
    "pipelines.collect.sources[0] collect.tail",
    "pipelines.collect.sources[1] collect.heartbeat",
    "pipelines.collect.sources[2] collect.tail-2",
    "pipelines.collect.sinks[0] collect.jsonl",
    "services[0] web",
  ]);
});

test("a default id stays when plugins of other names are inserted, removed or reordered, and when one of its name is added after it", () => {
  const before = resolve({ pipelines: { c: { sources: [tail({ include: "*.log" })], sinks: [consoleSink()] } } });
  const after = resolve({ pipelines: { c: { sources: [heartbeat(), generator({ count: 1 }), tail({ include: "*.log" }), tail({ include: "x/*.log" })], sinks: [jsonl(), consoleSink()] } } });
  assert.equal(idOf(before, "pipelines.c.sources[0]"), "c.tail");
  assert.equal(idOf(after, "pipelines.c.sources[2]"), "c.tail", "moved from sources[0] to sources[2], same id");
  assert.equal(idOf(after, "pipelines.c.sinks[1]"), idOf(before, "pipelines.c.sinks[0]"));
});

test("an explicit id, in either config form, is used as written and does not shift the defaults of others", () => {
  const typed = resolve({ pipelines: { c: { sources: [tail({ id: "app", include: "*.log" }), tail({ include: "x/*.log" })], sinks: [consoleSink({ id: "screen" })] } } });
  assert.deepEqual(ids(typed), ["pipelines.c.sources[0] app", "pipelines.c.sources[1] c.tail", "pipelines.c.sinks[0] screen"]);
  assert.deepEqual((typed.pipelines[0]!.sources[0]!.options as { include: string }).include, "*.log", "the id is not passed to a plugin that has no id option");
  const plain = resolve({ pipelines: { c: { sources: [{ use: "tail", id: "app", include: "*.log" }], sinks: [{ use: "console", id: "screen" }] } } });
  assert.deepEqual(ids(plain), ["pipelines.c.sources[0] app", "pipelines.c.sinks[0] screen"]);
});

test("a plugin whose schema declares `id` (the generator's event tag) receives the id too", () => {
  const config = resolve({ pipelines: { g: { sources: [generator({ id: "shop", count: 1 }), generator({ count: 1 })], sinks: [consoleSink()] } } });
  const [named, unnamed] = config.pipelines[0]!.sources;
  assert.deepEqual([named!.id, (named!.options as { id: string }).id], ["shop", "shop"]);
  assert.deepEqual([unnamed!.id, (unnamed!.options as { id: string }).id], ["g.generator", "gen"], "its own default stays when no id is given");
});

test("an id given twice is refused with one line naming both places, across pipelines and services too", () => {
  assert.deepEqual(
    problems({
      pipelines: {
        a: { sources: [tail({ id: "app", include: "a/*.log" })], sinks: [consoleSink()] },
        b: { sources: [tail({ id: "app", include: "b/*.log" })], sinks: [{ use: "jsonl", id: "a.console" }] },
      },
    }),
    [
      'pipelines.b.sources[0] tail: id "app" is already the id of pipelines.a.sources[0]; give each plugin its own id',
      'pipelines.b.sinks[0] jsonl: id "a.console" is already the id of pipelines.a.sinks[0]; give each plugin its own id',
    ],
  );
  const shared = heartbeat({ id: "beat" });
  assert.deepEqual(problems({ pipelines: { a: { sources: [shared], sinks: [consoleSink()] }, b: { sources: [shared], sinks: [consoleSink()] } } }), [
    'pipelines.b.sources[0] heartbeat: id "beat" is already the id of pipelines.a.sources[0]; give each plugin its own id',
  ]);
});

test("an id must be safe as a file name: anything else is refused where it is written", () => {
  const bad = ["../etc/passwd", "a b", "", ".hidden", "a/b", "x".repeat(101), "é", 7];
  const lines = problems({ pipelines: { p: { sources: bad.map((id) => ({ use: "heartbeat", id })), sinks: [consoleSink()] } } });
  const expected = 'expected an id of letters, digits, ".", "_" and "-" that starts with a letter or a digit (at most 100), such as "app-logs"';
  assert.deepEqual(lines, bad.map((_, i) => `pipelines.p.sources[${i}] heartbeat > id: ${expected}`));
  assert.ok(validateConfig({ pipelines: { p: { sources: [heartbeat({ id: "App_1.v-2" })], sinks: [consoleSink()] } } }, { registry }).isOk());
});

test("a plugin name that is not file-name safe still gets a file-name-safe default id", () => {
  const odd = definePlugin({ kind: "sink", name: "odd/name x", description: "test", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });
  const config = resolve({ pipelines: { p: { sources: [heartbeat()], sinks: [odd()] } } });
  assert.equal(config.pipelines[0]!.sinks[0]!.id, "p.odd_name_x");
});
