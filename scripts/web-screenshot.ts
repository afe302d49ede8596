/**
 * Makes docs/screenshots/dashboard.png (the README's picture): the whole
 * system for ~25 s so every panel has real data. A generator (bursts, a
 * payment incident, malformed lines from its fault injection) writes a
 * rotating file; a `collect` pipeline like the default config's (tail of
 * app.log and its rotations -> auto -> tag -> jsonl, unparsable lines to a
 * dead-letter file) follows it. The dashboard is open in headless Chromium;
 * the script fails when a panel would be empty.   bun scripts/web-screenshot.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { auto, generator, jsonl, rotatingFile, tag, tail, web } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

interface Metrics {
  pipelines: Array<{ name: string; plugins: Array<{ counters: { emitted: number } }> }>;
  files: unknown[];
  parseErrors: { total: number };
  rotations: { total: number };
  generators: Array<{ burst: boolean }>;
}

const runtime = await detectRuntime();
const dir = mkdtempSync(join(tmpdir(), "logsim-shot-"));
const out = fileURLToPath(new URL("../docs/screenshots/dashboard.png", import.meta.url).href);
// Run in a temp folder with the default config's relative paths, so the panels read logs/app.log, not /tmp/logsim-shot-x/...
const home = process.cwd();
process.chdir(dir);
const config = validateConfig(
  {
    pipelines: {
      simulate: {
        sources: [
          generator({
            rate: 800,
            seed: 7,
            burst: { multiplier: 3, duration: "5s", every: "10s", offset: "4s" },
            incidents: { probability: 0.2, minDuration: "8s", maxDuration: "15s" },
            faults: { truncated: 0.002, badUtf8: 0.001, noNewline: 0.001 },
          }),
        ],
        sinks: [rotatingFile({ path: "logs/app.log", format: "json", maxBytes: 3_000_000, backups: 2 })],
      },
      collect: {
        sources: [tail({ include: ["logs/*.log", "logs/*.log.[0-9]*"], stateDir: ".logsim", fromBeginning: true, pollInterval: "1s" })],
        parsers: [auto()],
        transforms: [tag({ builtin: true })],
        sinks: [jsonl({ path: "collected_logs/collected.jsonl" })],
        deadletter: "collected_logs/collect.deadletter.jsonl",
      },
    },
    services: [web({ port: 0, title: "logsim" })],
  },
  { registry: new Map() },
)._unsafeUnwrap();
let url = "";
const metrics = async () => (await (await fetch(`${url}api/metrics`)).json()) as Metrics;
const stderr = { isTTY: false, write: (c: string | Uint8Array) => ((url ||= /web interface at (\S+)/.exec(String(c))?.[1] ?? ""), Promise.resolve()), flush: () => Promise.resolve() };
const app = createApp(config, { runtime: { ...runtime, stderr } });
if ((await app.start()).isErr()) throw new Error("the app did not start");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
try {
  // Wide enough for the record's details beside the table (the tail is over 60 rem wide).
  const page = await browser.newPage({ viewport: { width: 1700, height: 1150 } });
  await page.goto(url);
  await page.waitForTimeout(22_000);
  // Shoot inside a burst (every 10 s from 4 s on), so the generator panel shows one and the chart its rise.
  for (let i = 0; i < 100 && !((await metrics()).generators[0]?.burst ?? true); i++) await page.waitForTimeout(100);
  await page.waitForTimeout(1500);
  const m = await metrics();
  const collected = m.pipelines.find((p) => p.name === "collect")?.plugins[0]?.counters.emitted ?? 0;
  const empty = { collected, files: m.files.length, parseErrors: m.parseErrors.total, rotations: m.rotations.total, generators: m.generators.length };
  console.log(empty);
  if (Object.values(empty).some((n) => n === 0)) throw new Error("a dashboard panel would be empty");
  await page.click("#tail tr:nth-last-child(3)");
  await page.waitForSelector("#detail:not([hidden])");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  mkdirSync(join(out, ".."), { recursive: true });
  await page.screenshot({ path: out });
  // A README image: quantized to 256 colours when pngquant is installed (apt-get install pngquant), ~380 KB -> ~110 KB.
  const quantized = spawnSync("pngquant", ["--quality=70-90", "--speed=1", "--force", "--output", out, out]);
  const note = quantized.error ? "not quantized: pngquant not found" : quantized.status === 0 ? "quantized" : `pngquant exited ${quantized.status}, kept as is`;
  console.log(`wrote ${out} (${note})`);
} finally {
  await browser.close();
  await app.stop();
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
}
