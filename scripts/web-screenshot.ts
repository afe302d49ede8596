/**
 * Makes docs/screenshots/dashboard.png (the README's picture): the whole
 * system for ~25 s (a generator with bursts and malformed lines writing a
 * rotating file, a tail + json parser collecting it), the dashboard open in
 * headless Chromium.   bun scripts/web-screenshot.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { generator, jsonl, rotatingFile, web } from "../plugins/mod.ts";
import { json } from "../plugins/parsers/mod.ts";
import { tail } from "../plugins/tail/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

const runtime = await detectRuntime();
const dir = mkdtempSync(join(tmpdir(), "logsim-shot-"));
const out = fileURLToPath(new URL("../docs/screenshots/dashboard.png", import.meta.url).href);
const config = validateConfig(
  {
    pipelines: {
      simulate: {
        sources: [generator({ rate: 1500, seed: 7, burst: { multiplier: 4, duration: "4s", every: "12s" }, faults: { truncated: 0.004 } })],
        sinks: [rotatingFile({ path: join(dir, "app.log"), format: "json", maxBytes: 4_000_000, backups: 2 })],
      },
      collect: {
        sources: [tail({ include: join(dir, "*.log"), stateDir: join(dir, "state"), fromBeginning: true, pollInterval: "250ms" })],
        parsers: [json()],
        sinks: [jsonl({ path: join(dir, "collected.jsonl") })],
      },
    },
    services: [web({ port: 0, title: "logsim" })],
  },
  { registry: new Map() },
)._unsafeUnwrap();
let url = "";
const stderr = { isTTY: false, write: (c: string | Uint8Array) => ((url ||= /web interface at (\S+)/.exec(String(c))?.[1] ?? ""), Promise.resolve()), flush: () => Promise.resolve() };
const app = createApp(config, { runtime: { ...runtime, stderr } });
if ((await app.start()).isErr()) throw new Error("the app did not start");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(url);
  await page.waitForTimeout(24_000);
  await page.click("#tail tr:nth-last-child(3)");
  await page.waitForTimeout(500);
  mkdirSync(join(out, ".."), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
}
