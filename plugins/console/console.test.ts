import assert from "node:assert/strict";
import { test } from "node:test";
import { createBus } from "../../core/bus.ts";
import { systemClock } from "../../core/clock.ts";
import { createCounters } from "../../core/metrics.ts";
import type { PluginContext } from "../../core/plugin.ts";
import type { Runtime, Writer } from "../../core/runtime.ts";
import type { LogRecord } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { consoleSink } from "./mod.ts";

const base = await detectRuntime();

function capture(isTTY: boolean) {
  const writes: string[] = [];
  const writer: Writer = { isTTY, write: async (chunk) => void writes.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)), flush: async () => {} };
  // The environment of the test run (NO_COLOR set in a shell or CI) is not the sink's: it sees none.
  const runtime: Runtime = { ...base, stdout: writer, stderr: writer, env: () => undefined };
  const app = { pipelines: () => [], config: () => ({}), outputs: () => [] };
  const ctx: PluginContext = { id: "t", pipeline: "p", bus: createBus(), runtime, clock: systemClock, signal: new AbortController().signal, counters: createCounters(), app, log: { info() {}, warn() {} } };
  return { writes, ctx };
}

const rec = (level: LogRecord["level"], message: string): LogRecord => ({ time: Date.UTC(2026, 0, 1), level, message, service: "api" });

test("one write per batch, formatted by the template, filtered by minLevel", async () => {
  const { writes, ctx } = capture(false);
  const sink = await consoleSink.definition.create(consoleSink.definition.schema.parse({ format: "%(levelname)s %(name)s %(message)s", minLevel: "info" }), ctx);
  await sink.write([rec("DEBUG", "hidden"), rec("INFO", "a"), rec("ERROR", "b")]);
  assert.deepEqual(writes, ["INFO api a\nERROR api b\n"]);
});

test("on a terminal, levels are coloured and control characters in log content are shown escaped", async () => {
  const { writes, ctx } = capture(true);
  const sink = await consoleSink.definition.create(consoleSink.definition.schema.parse({ format: "%(message)s" }), ctx);
  await sink.write([rec("ERROR", "evil \x1b[2J clear")]);
  assert.equal(writes[0], "\x1b[31mevil \\x1b[2J clear\x1b[0m\n");
});

test("a malformed template is refused by the schema", () => {
  const result = consoleSink.definition.schema.safeParse({ format: "%(message" });
  assert.equal(result.success, false);
});
