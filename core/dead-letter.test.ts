import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { err, ok } from "neverthrow";
import { z } from "zod";
import { detectRuntime } from "../runtime/detect.ts";
import { createApp } from "./app.ts";
import { validateConfig } from "./config/validate.ts";
import { definePlugin } from "./plugin.ts";
import type { LogRecord, RawLine } from "./types.ts";

const runtime = await detectRuntime();

const lines = definePlugin({
  kind: "source", name: "lines", description: "test source",
  schema: z.object({ texts: z.array(z.string()), acks: z.custom<string[]>() }),
  create: (o) => ({
    async *batches() {
      const entries: RawLine[] = o.texts.map((text, i) => ({ kind: "line", text, origin: { file: "/x.log", offset: i * 10 } }));
      yield { entries, ack: () => void o.acks.push("ack") };
    },
  }),
});

const numbers = definePlugin({
  kind: "parser", name: "numbers", description: "test parser",
  schema: z.object({}),
  create: () => ({
    parse: (line: RawLine) =>
      line.text === "HEADER" ? err({ reason: "header", skip: true }) : /^\d+$/.test(line.text) ? ok<LogRecord>({ time: 0, level: "INFO", message: line.text }) : err({ reason: "not a number" }),
  }),
});

const memory = definePlugin({
  kind: "sink", name: "memory", description: "test sink",
  schema: z.object({ got: z.custom<LogRecord[]>(), acks: z.custom<string[]>() }),
  create: (o) => ({ write: (r) => void o.got.push(...r), flush: () => void o.acks.push("flush"), close: () => {} }),
});

async function run(onParseError: string | undefined, deadletter: string) {
  const acks: string[] = [];
  const got: LogRecord[] = [];
  const failed: string[] = [];
  const config = validateConfig(
    { pipelines: { p: { sources: [lines({ texts: ["HEADER", "1", "oops", "2", "bad"], acks })], parsers: [numbers()], sinks: [memory({ got, acks })], deadletter, ...(onParseError ? { onParseError } : {}) } } },
    { registry: new Map() },
  )._unsafeUnwrap();
  const app = createApp(config, { runtime });
  app.bus.on("record:parse-failed", (e) => failed.push(`${e.line}@${e.offset}: ${e.reason}`));
  (await app.start())._unsafeUnwrap();
  await app.finished;
  await app.stop();
  return { acks, got, failed, counters: app.pipelines()[0]!.plugins.find((p) => p.kind === "parser")!.counters };
}

test("unparsable lines go to the dead-letter file, counted, before the batch is acked", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-dl-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "dl", "dead.jsonl");
  const { acks, got, failed, counters } = await run(undefined, path);
  assert.deepEqual(got.map((r) => r.message), ["1", "2"]);
  assert.deepEqual(failed, ["oops@20: not a number", "bad@40: not a number"]);
  assert.equal(counters.errors, 2);
  assert.equal(counters.dropped, 1, "the header is skipped, not an error");
  const dead = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(dead.map((d) => [d.line, d.file, d.offset, d.reason, d.pipeline]), [["oops", "/x.log", 20, "not a number", "p"], ["bad", "/x.log", 40, "not a number", "p"]]);
  assert.ok(acks.indexOf("flush") >= 0 && acks.indexOf("flush") < acks.indexOf("ack"), "acked after the flush");
});

test("drop and pass still count and report", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-dl-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "dead.jsonl");
  const dropped = await run("drop", path);
  assert.deepEqual(dropped.got.map((r) => r.message), ["1", "2"]);
  assert.equal(dropped.failed.length, 2);
  assert.equal(dropped.counters.errors, 2);
  assert.ok(!existsSync(path));
  const passed = await run("pass", path);
  assert.deepEqual(passed.got.map((r) => [r.message, r.tags]), [["1", undefined], ["oops", ["_parse_error"]], ["2", undefined], ["bad", ["_parse_error"]]]);
  assert.equal(passed.counters.errors, 2);
});

test("a bad onParseError is a config error", () => {
  const result = validateConfig({ pipelines: { p: { sources: [lines({ texts: [], acks: [] })], sinks: [memory({ got: [], acks: [] })], onParseError: "ignore" } } }, { registry: new Map() });
  assert.ok(result.isErr());
  assert.match(result.error.issues.map((i) => `${i.path}: ${i.message}`).join("\n"), /pipelines\.p\.onParseError: expected "deadletter", "drop" or "pass"/);
});
