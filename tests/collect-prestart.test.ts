/**
 * `collect --workers N` starts its threads before it loads the config (core/parallel/prestart.ts):
 * through the CLI's own entry, in process, with real threads, counting every thread the runtime
 * starts and ends. The pool uses the threads started ahead (no more are started); a pipeline that
 * stays on one thread (the csv parser keeps its header) ends them once it has started.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Runtime, WorkerPort } from "../core/runtime.ts";
import { main } from "../runtime/cli.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { tempDir } from "./_helpers.ts";

interface Run {
  code: number;
  stderr: string;
  /** What happened, in order: "started" and "ended" threads, "cwd" (the command resolving its inputs), "summary" (its last words). */
  events: string[];
}

async function collect(args: string[], cwd: string): Promise<Run> {
  const base = await detectRuntime();
  const run: Run = { code: -1, stderr: "", events: [] };
  const capture = (append: (s: string) => void) => ({ isTTY: false, write: async (t: Uint8Array | string) => append(typeof t === "string" ? t : new TextDecoder().decode(t)), flush: async () => undefined });
  const startWorker = (): WorkerPort => {
    const port = base.startWorker!();
    run.events.push("started");
    return { ...port, terminate: () => (run.events.push("ended"), port.terminate()) };
  };
  const stderr = capture((s) => {
    run.stderr += s;
    if (s.startsWith("collect: read")) run.events.push("summary");
  });
  const runtime: Runtime = { ...base, cwd: () => (run.events.push("cwd"), cwd), stdout: capture(() => undefined), stderr, startWorker };
  run.code = await main(["collect", "--once", "--from-beginning", ...args], runtime);
  return run;
}

const count = (events: string[], name: string) => events.filter((e) => e === name).length;

test("collect --workers 2: two threads start before the config loads, the pool parses with those two and no others, and ends them", { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-prestart-");
  try {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ time: "2026-11-30T10:00:00Z", level: i % 3 === 0 ? "ERROR" : "INFO", msg: `m${i}`, seq: i }));
    writeFileSync(join(dir, "app.log"), `${lines.join("\n")}\n`);
    const run = await collect(["--input", "app.log", "--output", join(dir, "out.jsonl"), "--state-dir", join(dir, "state"), "--parser", "json", "--workers", "2", "--quiet"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.events.slice(0, 2), ["started", "started"], "both started before the command looked at its inputs");
    assert.equal(count(run.events, "started"), 2, "the threads started ahead are the pool's: none started again");
    assert.equal(count(run.events, "ended"), 2, "the pool ends them when the pipeline stops");
    const out = readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(out.map((l) => JSON.parse(l).seq), lines.map((_, i) => i), "every line, in order");
  } finally {
    cleanup();
  }
});

test("collect --workers 2 with a parser that keeps state: the pipeline stays on one thread and the two threads started ahead are ended", { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-prestart-");
  try {
    writeFileSync(join(dir, "t.csv"), "time,level,message\n2026-11-30T10:00:00Z,INFO,one\n2026-11-30T10:00:01Z,WARN,two\n");
    const run = await collect(["--input", "t.csv", "--output", join(dir, "out.jsonl"), "--state-dir", join(dir, "state"), "--parser", "csv", "--workers", "2"], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /csv/, "it says why the parsing stays on one thread");
    assert.equal(count(run.events, "started"), 2);
    const summary = run.events.indexOf("summary");
    assert.ok(summary > 0, run.stderr);
    assert.equal(count(run.events.slice(0, summary), "ended"), 2, `ended once the pipeline started, not left idle until the end: ${run.events.join(" ")}`);
    assert.equal(readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n").length, 2);
  } finally {
    cleanup();
  }
});
