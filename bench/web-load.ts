/**
 * Load test of the web interface (not part of `npm test`): does hammering
 * /api/logs and /healthz slow a running pipeline down?
 *
 * A generator paced at RATE records/s feeds a jsonl sink while the web
 * service runs on 127.0.0.1 (port 0). Phase 1 measures the pipeline's
 * throughput for DURATION seconds with no HTTP load; phase 2 runs wrk for the
 * same time against /api/logs?limit=50 and /healthz at once (and keeps one
 * live-tail SSE client open in both phases) and measures it again.
 *
 *   bun bench/web-load.ts            (or: deno run -A bench/web-load.ts, node --import tsx bench/web-load.ts)
 *   RATE=5000 DURATION=10 CONNECTIONS=32 bun bench/web-load.ts
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { generator, jsonl, web } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

const runtime = await detectRuntime();
const RATE = Number(runtime.env("RATE") ?? 5000);
const DURATION = Number(runtime.env("DURATION") ?? 10);
const CONNECTIONS = Number(runtime.env("CONNECTIONS") ?? 32);
const WRK = runtime.env("WRK") ?? "/usr/bin/wrk";

const dir = mkdtempSync(join(tmpdir(), "logsim-web-load-"));
const config = validateConfig(
  {
    pipelines: { load: { sources: [generator({ rate: RATE, seed: 1, batchSize: 100 })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } },
    services: [web({ port: 0 })],
  },
  { registry: new Map() },
)._unsafeUnwrap();
let url = "";
const stderr = { isTTY: false, write: (c: string | Uint8Array) => ((url ||= /web interface at (\S+)/.exec(String(c))?.[1] ?? ""), Promise.resolve()), flush: () => Promise.resolve() };
const app = createApp(config, { runtime: { ...runtime, stderr } });
if ((await app.start()).isErr()) throw new Error("the app did not start");

const sinkEmitted = () => app.pipelines()[0]!.plugins.find((p) => p.kind === "sink")!.counters.emitted;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records per second through the sink over `seconds`, while `during` runs. */
async function measure(seconds: number, during?: Promise<unknown>): Promise<number> {
  const before = sinkEmitted();
  const started = performance.now();
  await Promise.all([sleep(seconds * 1000), during]);
  return ((sinkEmitted() - before) * 1000) / (performance.now() - started);
}

function wrk(path: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(WRK, ["-t2", `-c${CONNECTIONS}`, `-d${DURATION}s`, "--latency", `${url}${path.replace(/^\//, "")}`], { timeout: (DURATION + 30) * 1000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

const summary = (out: string) => {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? "0";
  return `${rps} req/s, p99 ${p99}, non-2xx ${errors}`;
};

// One live-tail client, as if the dashboard were open, in both phases.
const sse = await fetch(`${url}api/stream`);
const reader = sse.body!.getReader();
void (async () => {
  for (;;) if ((await reader.read()).done) return;
})().catch(() => {});

await sleep(2000); // warm-up: the generator reaches its pace
const baseline = await measure(DURATION);
const load = Promise.all([wrk("/api/logs?limit=50"), wrk("/healthz")]);
const loaded = await measure(DURATION, load);
const [logs, health] = await load;
const drop = ((baseline - loaded) / baseline) * 100;

await reader.cancel().catch(() => {});
await app.stop();
rmSync(dir, { recursive: true, force: true });

console.log(`runtime            ${runtime.name} ${runtime.version}`);
console.log(`generator pace     ${RATE} records/s, ${DURATION} s per phase, wrk -t2 -c${CONNECTIONS} on each route`);
console.log(`pipeline, no load  ${baseline.toFixed(0)} records/s`);
console.log(`pipeline, loaded   ${loaded.toFixed(0)} records/s  (${drop >= 0 ? "-" : "+"}${Math.abs(drop).toFixed(1)}%)`);
console.log(`/api/logs?limit=50 ${summary(logs)}`);
console.log(`/healthz           ${summary(health)}`);
console.log(drop < 20 ? "PASS: throughput dropped by less than 20%" : "FAIL: throughput dropped by 20% or more");
runtime.exit(drop < 20 ? 0 : 1);
