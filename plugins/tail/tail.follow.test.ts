/**
 * The follow path's timing policy, on a clock that never moves: a line appended in a quiet moment
 * is read, handed on, written and flushed with no timer on the way (a read hint wakes the source
 * at once; the pipeline flushes as soon as its channel is empty), and lines that come while the
 * pipeline is busy are batched by that alone (no fixed delay makes the batches).
 */
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { definePlugin, type LogRecord } from "../../core/mod.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { createFakeClock } from "../../testing/mod.ts";
import { waitFor } from "../../tests/_helpers.ts";
import { jsonl } from "../jsonl/mod.ts";
import { tail } from "./mod.ts";

const runtime = await detectRuntime();

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-tail-follow-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "a.log"), "");
  return { dir, runtime: { ...runtime, cwd: () => dir } };
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

test("a line appended in a quiet moment reaches the output with the clock standing still", async (t) => {
  const { dir, runtime } = setup(t);
  const clock = createFakeClock();
  const out = join(dir, "out.jsonl");
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state" })], sinks: [jsonl({ path: out })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime, clock });
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  await waitFor(() => clock.pending > 0, 10_000, "the source to wait for lines");
  for (let n = 1; n <= 3; n++) {
    appendFileSync(join(dir, "a.log"), `line ${n}\n`);
    // Real time passes (bounded), app time does not: only a watch hint can have woken the source.
    await waitFor(() => lines(out).length === n, 10_000, `line ${n} in the output`);
  }
  assert.equal(clock.monotonic(), 0, "no timer was waited for");
  (await app.stop())._unsafeUnwrap();
});

test("lines that come while the sink is busy are batched by that alone", async (t) => {
  const { dir, runtime } = setup(t);
  const clock = createFakeClock();
  const writes: number[] = [];
  let flushes = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const gated = definePlugin({
    kind: "sink",
    name: "gated",
    description: "test sink whose first write waits for the test",
    schema: z.object({}),
    create: () => ({
      async write(records: readonly LogRecord[]) {
        writes.push(records.length);
        if (writes.length === 1) await gate;
      },
      flush: () => void flushes++,
      close: () => {},
    }),
  });
  const config = validateConfig(
    { pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state" })], sinks: [gated({})], channel: { capacity: 1 } } } },
    { registry: new Map() },
  )._unsafeUnwrap();
  const app = createApp(config, { runtime, clock });
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  await waitFor(() => clock.pending > 0, 10_000, "the source to wait for lines");
  appendFileSync(join(dir, "a.log"), "first\n");
  await waitFor(() => writes.length === 1, 10_000, "the first write (which then waits)");
  const TOTAL = 40;
  for (let n = 0; n < TOTAL; n++) {
    appendFileSync(join(dir, "a.log"), `busy ${n}\n`); // One append (one hint) per line.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  open();
  await waitFor(() => writes.reduce((a, b) => a + b, 0) === TOTAL + 1, 10_000, "every line written");
  // The first batches filled the channel, the sink's buffer and the source's hand (measured: 1, 1, 1,
  // 1, 1, 36 on a quiet machine; 1, 5, 2, 2, 1, 30 on a loaded one, where reads lag the appends); then
  // the source waited, and what came meanwhile was one batch. The bound is on the number of writes:
  // it depends on the pipeline's slots, not on how the appends and reads interleaved.
  assert.ok(writes.length <= 8, `batched: writes of ${writes.join(", ")} lines`);
  // Two at the end, not one: on a loaded machine a read can land while the appends still come (1, 1, 1, 1, 22, 15 in a CI run).
  assert.ok(writes.at(-1)! + writes.at(-2)! >= TOTAL / 2, `the last writes took what came while the sink was busy: ${writes.join(", ")}`);
  assert.ok(flushes >= 1 && flushes <= writes.length);
  assert.equal(clock.monotonic(), 0, "no timer made the batches");
  (await app.stop())._unsafeUnwrap();
});

test("linger: a trickle of lines makes one batch per linger, read when the linger ends", async (t) => {
  const { dir, runtime } = setup(t);
  const clock = createFakeClock();
  const out = join(dir, "out.jsonl");
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state", linger: "100ms" })], sinks: [jsonl({ path: out })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime, clock });
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  await waitFor(() => clock.pending > 0, 10_000, "the source to wait for lines");
  appendFileSync(join(dir, "a.log"), "first\n");
  await waitFor(() => lines(out).length === 1, 10_000, "the first line, read at once");
  appendFileSync(join(dir, "a.log"), "second\n");
  appendFileSync(join(dir, "a.log"), "third\n");
  await new Promise((resolve) => setTimeout(resolve, 200)); // Real time: hints came, and were not enough.
  assert.equal(lines(out).length, 1, "lingering: not read before the linger ends");
  await clock.advance(100);
  await waitFor(() => lines(out).length === 3, 10_000, "the two lines, in one read when the linger ended");
  (await app.stop())._unsafeUnwrap();
});
