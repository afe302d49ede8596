/**
 * A pipeline with `workers` writes what it writes on one thread: the same bytes in the same order,
 * the same dead letters, counters and acks, with sinks that take encoded batches (jsonl) and sinks
 * that take records. A pipeline with a stateful parser stays on one thread and says why.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { definePlugin } from "../core/plugin.ts";
import type { Runtime } from "../core/runtime.ts";
import type { Batch, LogRecord, RawLine } from "../core/types.ts";
import { csv, filter, json, jsonl, regex, tag } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { lent, lentBytesSink } from "./_lent-bytes-sink.ts";

const runtime = await detectRuntime();

/** Mixed lines: JSON, plain text, malformed, blank, and some with non-ASCII text. */
function corpus(n: number): string[] {
  const services = ["api", "auth", "payment", "cart"];
  const levels = ["INFO", "WARN", "ERROR", "DEBUG"];
  return Array.from({ length: n }, (_, i) => {
    const service = services[i % 4]!;
    const level = levels[(i * 7) % 4]!;
    if (i % 97 === 0) return `{"level":"${level}","msg":"truncated ${i}`;
    if (i % 101 === 0) return "";
    if (i % 5 === 0) return `2026-11-29T10:00:${String(i % 60).padStart(2, "0")}.000Z ${level} [${service}] charge ${i} for ünïcödé user=u-${i}`;
    return JSON.stringify({ time: 1764410400000 + i, level: level.toLowerCase(), service, msg: `login ${i} ✓`, seq: i });
  });
}

const linesSource = definePlugin({
  kind: "source",
  name: "test-lines",
  description: "test source: the corpus in batches, acks recorded",
  schema: z.object({ lines: z.custom<string[]>(), size: z.number(), acks: z.custom<number[]>() }),
  create: (o) => ({
    async *batches() {
      let offset = 0;
      for (let i = 0; i < o.lines.length; i += o.size) {
        const entries: RawLine[] = o.lines.slice(i, i + o.size).map((text) => {
          const line: RawLine = { kind: "line", text, origin: { file: "/logs/app.log", offset } };
          offset += Buffer.byteLength(text) + 1;
          return line;
        });
        yield { entries, ack: () => o.acks.push(i) } satisfies Batch;
      }
    },
  }),
});

const collecting = definePlugin({
  kind: "sink",
  name: "test-collecting",
  description: "test sink that keeps the records",
  schema: z.object({ got: z.custom<LogRecord[]>() }),
  create: (o) => ({ write: (records) => void o.got.push(...structuredClone(records)), flush: () => {}, close: () => {} }),
});

interface Outcome {
  jsonl: string;
  dead: string[];
  got: LogRecord[];
  acks: number[];
  counters: Record<string, unknown>;
  stderr: string;
}

async function run(workers: number, parsers: unknown[], lines: string[]): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "logsim-parallel-"));
  try {
    const acks: number[] = [];
    const got: LogRecord[] = [];
    let stderr = "";
    const quiet: Runtime = { ...runtime, stderr: { ...runtime.stderr, write: async (chunk) => void (stderr += String(chunk)) } };
    const config = validateConfig(
      {
        pipelines: {
          main: {
            sources: [linesSource({ lines, size: 100, acks })],
            parsers,
            transforms: [filter({ match: 'level":"(error|warn)"| (ERROR|WARN) \\[|payment|auth' }), tag({ rules: [{ tag: "auth", field: "service", equals: "auth" }, { tag: "pay", match: "charge" }] })],
            sinks: [jsonl({ path: join(dir, "out.jsonl") }), collecting({ got })],
            deadletter: join(dir, "dead.jsonl"),
            workers,
          },
        },
      },
      { registry: new Map() },
    )._unsafeUnwrap();
    const app = createApp(config, { runtime: quiet });
    const started = await app.start();
    assert.ok(started.isOk(), started.isErr() ? JSON.stringify(started.error) : "");
    assert.deepEqual(await app.finished, []);
    const counters = Object.fromEntries(app.pipelines()[0]!.plugins.map((p) => [p.id, { ...p.counters }]));
    const deadText = existsSync(join(dir, "dead.jsonl")) ? readFileSync(join(dir, "dead.jsonl"), "utf8").trim() : "";
    const dead = deadText === "" ? [] : deadText.split("\n").map((l) => (JSON.parse(l) as { line: string }).line);
    return { jsonl: readFileSync(join(dir, "out.jsonl"), "utf8"), dead, got, acks, counters, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plain = "^(?<timestamp>\\S+) (?<level>[A-Z]+) \\[(?<service>[^\\]]+)\\] (?<message>.*)$";

/**
 * In process on Bun and Node. `deno test` type-checks a worker's module graph before running it (a
 * minute of a loaded 2-core machine, per thread): on Deno the CLI test (collector-workers-kill) runs
 * the workers under `deno run`, as users do.
 */
const inProcess = { skip: "Deno" in globalThis ? "deno test type-checks worker modules (see above)" : false };

test("with workers: 2 a pipeline writes the same bytes, records, dead letters, counters and acks as on one thread", inProcess, async () => {
  const lines = corpus(3000);
  const one = await run(0, [json(), regex({ pattern: plain })], lines);
  const two = await run(2, [json(), regex({ pattern: plain })], lines);
  assert.ok(one.jsonl.length > 10_000 && one.dead.length > 20, "the corpus exercises writes and dead letters");
  assert.equal(two.jsonl, one.jsonl);
  assert.deepEqual(two.got, one.got);
  assert.deepEqual(two.dead, one.dead);
  assert.deepEqual(two.counters, one.counters);
  assert.deepEqual(two.acks, one.acks);
  assert.deepEqual(two.acks, Array.from({ length: 30 }, (_, i) => i * 100), "every batch acknowledged once, in order");
  assert.equal(two.stderr, "");
});

test("a stateful parser keeps the pipeline on one thread, and start says why", async () => {
  const lines = ["a,b", "1,2", "3,4"];
  const result = await run(2, [csv()], lines);
  assert.match(result.stderr, /pipeline "main": workers: 2 not used, parsing runs on one thread: pipelines\.main\.parsers\[0\] \(csv\) keeps state/);
  assert.equal(result.got.length, 0); // Filtered out: the rows match no rule. Parsed on this thread all the same.
  assert.equal(result.counters["main.csv"] && (result.counters["main.csv"] as { emitted: number }).emitted, 2);
});

/** The messages `lentBytesSink` wrote, with `workers` threads. */
async function runLent(workers: number, lines: string[], copies = true): Promise<string> {
  const got: string[] = [];
  const quiet: Runtime = { ...runtime, stderr: { ...runtime.stderr, write: async () => {} } };
  const config = validateConfig(
    { pipelines: { main: { sources: [linesSource({ lines, size: 100, acks: [] })], parsers: [json(), regex({ pattern: plain })], sinks: [lentBytesSink({ got, copies })], workers } } },
    { registry: new Map() },
  )._unsafeUnwrap();
  const app = createApp(config, { runtime: quiet });
  assert.ok((await app.start()).isOk());
  assert.deepEqual(await app.finished, []);
  return got.join("");
}

test("a sink is lent the bytes a worker encoded: whole until its writeEncoded resolves (its retry too), then they go back to a worker", inProcess, async () => {
  const lines = corpus(3000);
  const one = await runLent(0, lines);
  lent.length = 0;
  const two = await runLent(2, lines);
  assert.ok(one.length > 10_000, `${one.length} characters written`);
  assert.equal(two, one, "every write read its bytes whole, the retried one and the ones that waited a turn");
  assert.ok(lent.length >= 20, `${lent.length} encoded batches written`);
  // Given back with the next batch sent: those written after the last one stay (here the source is
  // quicker than the sink, so most do; at most a sink queue's worth).
  const back = lent.filter((bytes) => bytes.byteLength === 0).length;
  assert.ok(back > 0, `${back} of ${lent.length} arrays went back to a worker (read as empty after their write)`);
});

test("a sink that does not declare copiesEncoded keeps every array it was lent", inProcess, async () => {
  const lines = corpus(3000);
  lent.length = 0;
  const two = await runLent(2, lines, false);
  assert.equal(two, await runLent(0, lines, false));
  assert.ok(lent.length >= 20);
  assert.deepEqual(lent.filter((bytes) => bytes.byteLength === 0), [], "none went back");
});
