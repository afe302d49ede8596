import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../../core/app.ts";
import type { PluginContext, Sink } from "../../core/plugin.ts";
import { jsonLineFormatter } from "../../core/record-json.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { formatError } from "../../core/errors.ts";
import { tempDir, waitFor } from "../../tests/_helpers.ts";
import { smallDisk } from "../../tests/_small-disk.ts";
import { heartbeat } from "../heartbeat/mod.ts";
import { jsonl } from "./mod.ts";
import { rotatingFile } from "../rotating-file/mod.ts";

const runtime = await detectRuntime();

test("jsonl appends one JSON object per record, creating folders, and a second run appends", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "deep/er/out.jsonl");
    for (let run = 0; run < 2; run++) {
      const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms", count: 3, service: "s" })], sinks: [jsonl({ path })] } } }, { registry: new Map() });
      const app = createApp(config._unsafeUnwrap(), { runtime });
      await app.start();
      assert.deepEqual(await app.finished, []);
    }
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    assert.deepEqual(Object.keys(lines[0]), ["timestamp", "level", "service", "message", "seq", "uptime_s", "tags"]);
    assert.match(lines[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3, 1, 2, 3]);
  } finally {
    cleanup();
  }
});

test("every collected entry has tags, an empty array when no tag matched, before origin (jq '.tags[]' never fails)", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "out.jsonl");
    const ctx = { runtime, id: "s", pipeline: "p" } as unknown as PluginContext;
    const sink = jsonl.definition.create(jsonl.definition.schema.parse({ path }), ctx) as Sink;
    const time = Date.UTC(2026, 10, 23);
    const origin = { file: "/l/app.log", offset: 0, parser: "json" };
    void sink.write([
      { time, level: "INFO", message: "untagged", fields: { a: 1 }, origin },
      { time, level: "INFO", message: "empty", tags: [], origin },
      { time, level: "INFO", message: "tagged", tags: ["payment"], origin },
      // A field named like a record key takes the other (ordered) path: same shape.
      { time, level: "INFO", message: "clash", fields: { origin: "x", 200: "y" }, origin },
    ]);
    void sink.close();
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.tags), [[], [], ["payment"], []]);
    for (const l of lines) assert.deepEqual(Object.keys(l).slice(-2), ["tags", "origin"]);
  } finally {
    cleanup();
  }
});

test("integer-like field names (which any object lists first) still come after timestamp, level, service and message", () => {
  const format = jsonLineFormatter("always");
  const line = format({ time: 0, level: "WARN", service: "api", message: "m", fields: { a: 1, 200: "ok", 7: true, "08": "not an index" } });
  assert.equal(line, '{"timestamp":"1970-01-01T00:00:00.000Z","level":"WARN","service":"api","message":"m","7":true,"200":"ok","a":1,"08":"not an index","tags":[]}');
  // Names that only start with a digit are not listed first: the line is the usual one.
  assert.equal(format({ time: 0, level: "INFO", message: "m", fields: { "1st": 1 } }), '{"timestamp":"1970-01-01T00:00:00.000Z","level":"INFO","message":"m","1st":1,"tags":[]}');
});

test("the json line format writes no tags key when there are none (generated app logs have no tags)", () => {
  const line = jsonLineFormatter()({ time: 0, level: "INFO", message: "m" });
  assert.equal(line, '{"timestamp":"1970-01-01T00:00:00.000Z","level":"INFO","message":"m"}');
});

test("rotating-file announces each rotation on the bus", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms", count: 40 })], sinks: [rotatingFile({ path, maxBytes: 200, backups: 2, format: "%(message)s %(seq)s" })] } } }, { registry: new Map() });
    const app = createApp(config._unsafeUnwrap(), { runtime });
    const rotated: string[] = [];
    app.bus.on("sink:rotated", (e) => rotated.push(`${e.pipeline} ${e.plugin} ${e.path}`));
    await app.start();
    await app.finished;
    // 40 lines of 20-21 bytes into 200-byte files: 9-10 lines per file, so 4 rotations.
    assert.equal(rotated.length, 4);
    assert.equal(rotated[0], `p p.rotating-file ${path}`);
    assert.match(readFileSync(path, "utf8"), /Service heartbeat 40\n$/);
  } finally {
    cleanup();
  }
});

test('path "-" writes to stdout in batches and waits for the stream (backpressure), all of it by flush', async () => {
  const writes: string[] = [];
  let release: (() => void) | undefined;
  const stdout = {
    isTTY: false,
    write: (chunk: Uint8Array | string) => (writes.push(String(chunk)), new Promise<void>((r) => (release = r))),
    flush: async () => {},
  };
  const ctx = { runtime: { ...runtime, stdout }, id: "s", pipeline: "p" } as unknown as PluginContext;
  const sink = jsonl.definition.create(jsonl.definition.schema.parse({ path: "-" }), ctx) as Sink;
  assert.deepEqual(jsonl.definition.writes!(jsonl.definition.schema.parse({ path: "-" })), [], "not a file the pipeline writes");
  const record = { time: 0, level: "INFO" as const, message: "x".repeat(100) };
  // Small batches stay buffered: no write per batch.
  for (let i = 0; i < 10; i++) await sink.write([record]);
  assert.equal(writes.length, 0);
  // Past 256 KiB the batch goes out in one write, and write() waits until the stream took it.
  let taken = false;
  const big = Promise.resolve(sink.write(Array.from({ length: 2000 }, () => record))).then(() => (taken = true));
  assert.equal(writes.length, 1, "written at once, in one write");
  await Promise.resolve();
  assert.equal(taken, false, "write() waits for a slow reader");
  release!();
  await big;
  await sink.write([record]);
  const flushed = Promise.resolve(sink.flush());
  release!();
  await flushed;
  const lines = writes.join("").split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 2011);
  assert.deepEqual(JSON.parse(lines[0]!), { timestamp: "1970-01-01T00:00:00.000Z", level: "INFO", message: "x".repeat(100), tags: [] });
});

test("a torn last line (a crash mid-write) is cut away by jsonl and ended by rotating-file before the next record", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, "out.jsonl");
    const log = join(dir, "app.log");
    const torn = '{"timestamp":"2026-01-01T00:00:00.000Z","message":"whole"}\n{"timestamp":"2026-01-01T00:00:01.000Z","message":"cut in the mid';
    writeFileSync(out, torn);
    writeFileSync(log, torn);
    const sinks = [jsonl({ path: out }), rotatingFile({ path: log, format: "json" })];
    const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms", count: 2 })], sinks } } }, { registry: new Map() });
    const app = createApp(config._unsafeUnwrap(), { runtime });
    await app.start();
    assert.deepEqual(await app.finished, []);
    // jsonl: the torn record's batch was never acknowledged (its source sends it again), so it goes.
    const lines = readFileSync(out, "utf8").split("\n");
    assert.equal(lines.pop(), "");
    assert.deepEqual(lines.map((l) => JSON.parse(l).message), ["whole", "Service heartbeat", "Service heartbeat"]);
    // rotating-file: the file only grows; the cut line stays, ended, and the next record starts a line of its own.
    const logLines = readFileSync(log, "utf8").split("\n");
    assert.equal(logLines.pop(), "");
    assert.equal(logLines[1], '{"timestamp":"2026-01-01T00:00:01.000Z","message":"cut in the mid');
    assert.equal(logLines.length, 4);
    for (const l of [logLines[0]!, ...logLines.slice(2)]) JSON.parse(l);
  } finally {
    cleanup();
  }
});

test("disk full, then space returns: jsonl output stays whole lines, the pipeline waits (reported once) and then writes every record once", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "out.jsonl");
    const fs = smallDisk(3000);
    const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms" })], sinks: [jsonl({ path })] } } }, { registry: new Map() });
    const app = createApp(config._unsafeUnwrap(), { runtime: { ...runtime, fs } });
    const warnings: string[] = [];
    let recovered = 0;
    app.bus.on("plugin:error", ({ error }) => warnings.push(formatError(error).join(" ")));
    app.bus.on("sink:recovered", () => recovered++);
    await app.start();
    await waitFor(() => warnings.length > 0, 20_000, "the disk to fill");
    // Full: only whole lines on disk (a torn one was cut back), and the pipeline still runs.
    const full = readFileSync(path, "utf8");
    assert.ok(full.length > 0 && full.endsWith("\n"), JSON.stringify(full.slice(-80)));
    for (const l of full.slice(0, -1).split("\n")) JSON.parse(l);
    assert.equal(app.pipelines()[0]!.state, "running");
    assert.match(warnings[0]!, /ENOSPC.*retrying until it can/);
    fs.room = 1e9;
    await waitFor(() => recovered === 1, 20_000, "the sink to recover");
    await waitFor(() => readFileSync(path, "utf8").length > full.length + 3000, 20_000, "more records after the recovery");
    assert.ok((await app.stop()).isOk());
    assert.equal(warnings.length, 1, warnings.join("\n"));
    const seqs = readFileSync(path, "utf8").trimEnd().split("\n").map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "every record once, in order");
  } finally {
    cleanup();
  }
});
