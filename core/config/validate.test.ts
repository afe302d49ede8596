import assert from "node:assert/strict";
import { test } from "node:test";
import { formatError } from "../errors.ts";
import { builtinPlugins, consoleSink, heartbeat, jsonl, rotatingFile } from "../../plugins/mod.ts";
import { defineConfig } from "./define.ts";
import { validateConfig } from "./validate.ts";

const registry = new Map(builtinPlugins.map((p) => [p.name, p]));
const problems = (value: unknown) => {
  const result = validateConfig(value, { registry });
  assert.ok(result.isErr(), "expected the config to be refused");
  return formatError(result.error);
};

test("a valid config resolves with defaults applied, stable ids and locations that say where each plugin is", () => {
  const config = defineConfig({ pipelines: { main: { sources: [heartbeat({ interval: "250ms" })], sinks: [consoleSink(), rotatingFile()] } } });
  const result = validateConfig(config, { registry });
  assert.ok(result.isOk());
  const [pipeline] = result.value.pipelines;
  assert.equal(pipeline!.sources[0]!.id, "main.heartbeat");
  assert.equal(pipeline!.sources[0]!.location, "pipelines.main.sources[0]");
  assert.deepEqual(pipeline!.sources[0]!.options, { interval: 250, level: "INFO", message: "Service heartbeat", service: "logger-service" });
  assert.equal((pipeline!.sinks[1]!.options as { maxBytes: number }).maxBytes, 1_048_576);
  assert.equal(pipeline!.capacity, 16);
  assert.equal(result.value.hookTimeoutMs, 10_000);
  assert.equal(pipeline!.flushIntervalMs, 100);
  const defaults = validateConfig({ pipelines: { d: { sources: [heartbeat()], sinks: [consoleSink()] } } }, { registry });
  assert.equal((defaults._unsafeUnwrap().pipelines[0]!.sources[0]!.options as { interval: number }).interval, 5000, "default interval is 5 s");
});

test("every problem is reported at once, one line each, with path, plugin and option", () => {
  const lines = problems({
    pipelines: {
      heartbeat: {
        sources: [heartbeat({ interval: "soon" as never, level: "LOUD" as never })],
        sinks: [consoleSink(), rotatingFile({ maxBytes: -1 as never, backups: 1.5, extra: true } as never)],
      },
    },
  });
  assert.deepEqual(lines.sort(), [
    'pipelines.heartbeat.sinks[1] rotating-file > backups: expected an integer >= 0',
    "pipelines.heartbeat.sinks[1] rotating-file > extra: unknown option",
    "pipelines.heartbeat.sinks[1] rotating-file > maxBytes: expected an integer >= 0",
    'pipelines.heartbeat.sources[0] heartbeat > interval: expected a positive duration such as "5s", "250ms" or a number of seconds',
    'pipelines.heartbeat.sources[0] heartbeat > level: expected one of DEBUG, INFO, WARN, ERROR, FATAL, got "LOUD"',
  ]);
});

test("plain-data (JSON) plugins resolve by `use`; unknown ones and wrong roles are named", () => {
  const ok = validateConfig({ pipelines: { p: { sources: [{ use: "heartbeat", interval: 1 }], sinks: [{ use: "jsonl", path: "out.jsonl" }] } } }, { registry });
  assert.ok(ok.isOk());
  const lines = problems({ pipelines: { p: { sources: [{ use: "hearbeat" }, { use: "console" }, { use: "kafka" }], sinks: [] } } });
  assert.deepEqual(lines, [
    'pipelines.p.sources[0]: unknown plugin "hearbeat"; did you mean "heartbeat"?',
    "pipelines.p.sources[1] console: is a sink plugin, not a source",
    `pipelines.p.sources[2]: unknown plugin "kafka"; source plugins: ${builtinPlugins.filter((p) => p.kind === "source").map((p) => p.name).join(", ")}`,
    "pipelines.p.sinks: expected at least one sink",
  ]);
});

test("two sinks writing one file are refused, also across pipelines; one sink may serve many sources", () => {
  const shared = rotatingFile({ path: "logs/app.log" });
  const ok = validateConfig({ pipelines: { a: { sources: [heartbeat(), heartbeat()], sinks: [shared] } } }, { registry, normalizePath: (p) => p });
  assert.ok(ok.isOk());
  const lines = problems({
    pipelines: {
      a: { sources: [heartbeat()], sinks: [rotatingFile({ path: "logs/app.log" })] },
      b: { sources: [heartbeat()], sinks: [jsonl({ path: "logs/app.log" })] },
    },
  });
  assert.deepEqual(lines, ["pipelines.b.sinks[0] jsonl: writes logs/app.log, which pipelines.a.sinks[0] already writes; use one sink for it"]);
});

test("structural mistakes are reported with their paths", () => {
  assert.deepEqual(problems(null), ["the config must export an object (use `export default defineConfig({ ... })`)"]);
  assert.deepEqual(problems({ pipeline: {} }).sort(), ['pipeline: unknown setting; did you mean "pipelines"?', "pipelines: expected an object of named pipelines"]);
  assert.deepEqual(problems({ pipelines: { p: { sources: [heartbeat()], sinks: [consoleSink()], channel: { capacity: 0 }, extra: 1 } } }).sort(), [
    "pipelines.p.channel.capacity: expected a positive integer",
    "pipelines.p.extra: unknown setting",
  ]);
});
