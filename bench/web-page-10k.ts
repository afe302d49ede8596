/**
 * The dashboard at 10,000 records/s (not part of `npm test`): a generator
 * paced at RATE feeds a jsonl sink; the pipeline's throughput is measured for
 * DURATION s without the page, then with the dashboard open in headless
 * Chromium, while the page's responsiveness is probed every 200 ms (time for
 * an evaluate + one animation frame) and the rows it keeps are counted.
 *
 *   bun bench/web-page-10k.ts        RATE=10000 DURATION=10
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { generator, jsonl, web } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

const runtime = await detectRuntime();
const RATE = Number(runtime.env("RATE") ?? 10_000);
const DURATION = Number(runtime.env("DURATION") ?? 10);
const dir = mkdtempSync(join(tmpdir(), "logsim-web-10k-"));
const config = validateConfig(
  { pipelines: { load: { sources: [generator({ rate: RATE, seed: 3, batchSize: 200 })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } }, services: [web({ port: 0 })] },
  { registry: new Map() },
)._unsafeUnwrap();
let url = "";
const stderr = { isTTY: false, write: (c: string | Uint8Array) => ((url ||= /web interface at (\S+)/.exec(String(c))?.[1] ?? ""), Promise.resolve()), flush: () => Promise.resolve() };
const app = createApp(config, { runtime: { ...runtime, stderr } });
if ((await app.start()).isErr()) throw new Error("the app did not start");
const sinkEmitted = () => app.pipelines()[0]!.plugins.find((p) => p.kind === "sink")!.counters.emitted;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function throughput(during: () => Promise<unknown>): Promise<number> {
  const before = sinkEmitted();
  const started = performance.now();
  await during();
  return ((sinkEmitted() - before) * 1000) / (performance.now() - started);
}

await sleep(2000);
const baseline = await throughput(() => sleep(DURATION * 1000));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(url);
await page.waitForSelector('#conn[data-state="live"]');
const probes: number[] = [];
let rows = 0;
const withPage = await throughput(async () => {
  const end = performance.now() + DURATION * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    rows = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(document.querySelectorAll("#tail tr").length))));
    probes.push(performance.now() - t);
    await sleep(200);
  }
});
const sampling = await page.textContent("#sampling");
const metrics = (await (await fetch(`${url}api/metrics`)).json()) as { tap: { rate: number; dropped: number } };
await browser.close();
await app.stop();
rmSync(dir, { recursive: true, force: true });
probes.sort((a, b) => a - b);
const pct = (p: number) => probes[Math.min(probes.length - 1, Math.floor(p * probes.length))]!.toFixed(1);
console.log(`runtime              ${runtime.name} ${runtime.version}, generator paced at ${RATE} records/s, ${DURATION} s per phase`);
console.log(`pipeline, no page    ${baseline.toFixed(0)} records/s`);
console.log(`pipeline, page open  ${withPage.toFixed(0)} records/s (${(((withPage - baseline) / baseline) * 100).toFixed(1)}%)`);
console.log(`page probe (evaluate + 1 frame), ${probes.length} probes: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${probes.at(-1)!.toFixed(1)} ms`);
console.log(`rows kept by the page ${rows}; tap rate ${metrics.tap.rate.toFixed(0)}/s; tap dropped for slow clients ${metrics.tap.dropped}`);
console.log(`page says: ${sampling}`);
