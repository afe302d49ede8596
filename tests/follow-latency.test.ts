/**
 * Follow latency in process, on the clock the collector uses (the system clock: performance.now()):
 * a line appended after a quiet second reaches the JSONL output promptly, and so does each of a run
 * of lines appended one after another (each as soon as the one before came out). The old follower
 * waited 20 ms after every watch hint and, after a batch, 100 ms before the next read: the run's
 * median was about 95 ms. The bounds are generous for a loaded machine; bench/follow-latency.ts
 * measures p50/p99/max at 2,000 lines/s.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { jsonl } from "../plugins/jsonl/mod.ts";
import { tail } from "../plugins/tail/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { tempDir } from "./_helpers.ts";

const runtime = await detectRuntime();

/** Milliseconds until `text` is in the file, polled every millisecond or so; fails after `limitMs`. */
async function until(path: string, text: string, limitMs: number): Promise<number> {
  const start = performance.now();
  while (!(existsSync(path) && readFileSync(path, "utf8").includes(text))) {
    if (performance.now() - start > limitMs) throw new Error(`"${text}" not in ${path} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test("a followed line reaches the output within milliseconds: after a quiet second, and one after another", { timeout: 60_000 }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-follow-latency-");
  t.after(cleanup);
  const log = join(dir, "app.log");
  const out = join(dir, "out", "collected.jsonl");
  writeFileSync(log, "");
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: log, stateDir: join(dir, "state") })], sinks: [jsonl({ path: out })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime: { ...runtime, cwd: () => dir } });
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  // Started: lines written before the first scan are behind the position it follows from, so write until one comes out.
  for (let n = 0; !(existsSync(out) && readFileSync(out, "utf8").includes("ready")); n++) {
    assert.ok(n < 300, "the collector never wrote a line");
    appendFileSync(log, `ready ${n}\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  appendFileSync(log, "quiet line\n");
  const quiet = await until(out, "quiet line", 5000);
  const run: number[] = [];
  for (let n = 0; n < 21; n++) {
    appendFileSync(log, `run line ${n}.\n`);
    run.push(await until(out, `run line ${n}.`, 5000));
  }
  console.log(`follow latency: quiet line ${quiet.toFixed(1)} ms; run of ${run.length} lines: median ${median(run).toFixed(1)} ms, max ${Math.max(...run).toFixed(1)} ms`);
  assert.ok(quiet < 500, `a line after a quiet second took ${quiet.toFixed(1)} ms`);
  assert.ok(median(run) < 50, `lines one after another took ${median(run).toFixed(1)} ms (median)`);
  (await app.stop())._unsafeUnwrap();
});
