/// <reference lib="dom" />
/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core),
 * against a logsim app served by the runtime running this file: Bun.serve under
 * `bun test`, Deno.serve under `deno test`, node:http under `node --test`.
 * playwright-core itself runs under all three, so no child process is needed.
 * Screenshots go to docs/screenshots/dashboard-<runtime>.png.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { z } from "zod";
import { createApp, type App } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { definePlugin } from "../core/plugin.ts";
import type { LogRecord } from "../core/types.ts";
import { web } from "../plugins/web/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

const runtime = await detectRuntime();
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../docs/screenshots/", import.meta.url).href);

/** A source that yields whatever the test pushes. */
const queue: LogRecord[][] = [];
let wake: (() => void) | undefined;
const push = (...records: LogRecord[]) => {
  queue.push(records);
  wake?.();
};
const pushed = definePlugin({
  kind: "source",
  name: "pushed",
  description: "test source fed by the test",
  schema: z.object({}),
  create: (_, ctx) => ({
    async *batches() {
      while (!ctx.signal.aborted) {
        const batch = queue.shift();
        if (batch) yield batch;
        else await new Promise<void>((resolve) => ((wake = resolve), ctx.signal.addEventListener("abort", () => resolve(), { once: true })));
      }
    },
  }),
});
const nowhere = definePlugin({ kind: "sink", name: "nowhere", description: "test sink", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });
const rec = (message: string, extra: Partial<LogRecord> = {}): LogRecord => ({ time: Date.now(), level: "INFO", message, service: "checkout", ...extra });

let app: App;
let browser: Browser;
let base = "";
const problems: string[] = [];

before(async () => {
  const config = validateConfig(
    { pipelines: { main: { sources: [pushed()], sinks: [nowhere()] } }, services: [web({ port: 0, title: `logsim on ${runtime.name}` })] },
    { registry: new Map() },
  )._unsafeUnwrap();
  const lines: string[] = [];
  app = createApp(config, { runtime: { ...runtime, stderr: { isTTY: false, write: (c) => (lines.push(String(c)), Promise.resolve()), flush: () => Promise.resolve() } } });
  assert.ok((await app.start()).isOk());
  base = /web interface at (\S+)/.exec(lines.join(""))![1]!;
  assert.ok(existsSync(CHROMIUM), "Debian chromium is installed (scripts/setup.sh installs it)");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Opens the dashboard and records every dialog, page error and console error as a problem. */
async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(base);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 10_000 });
  return page;
}

const rowTexts = (page: Page) => page.$$eval("#tail tr td:nth-child(5)", (tds) => tds.map((td) => td.textContent ?? ""));

async function waitForRow(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll("#tail tr td:nth-child(5)")].some((td) => td.textContent === t), text, { timeout: 10_000 });
}

async function applyFilters(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((e) => document.body.dataset.filters === e && document.getElementById("conn")!.dataset.state === "live", expected, { timeout: 10_000 });
}

test(`the live tail shows records written after the page opened (served by ${runtime.name})`, { timeout: 60_000 }, async () => {
  const page = await open();
  push(rec("written after the page opened", { fields: { user_id: 42, path: "/cart" } }));
  await waitForRow(page, "written after the page opened");
  await page.click("#tail tr:last-child");
  const detail = await page.$$eval("#detail-fields dt, #detail-fields dd", (nodes) => nodes.map((n) => n.textContent));
  assert.ok(detail.join("|").includes("user_id|42"), detail.join("|"));
  assert.ok(detail.join("|").includes("path|/cart"));
  // Pause holds new records back; resume shows them.
  await page.click("#pause");
  push(rec("arrived while paused"));
  await page.waitForFunction(() => document.getElementById("pause")!.textContent === "Resume (1 new)", undefined, { timeout: 10_000 });
  assert.ok(!(await rowTexts(page)).includes("arrived while paused"));
  await page.click("#pause");
  await waitForRow(page, "arrived while paused");
  await page.close();
  assert.deepEqual(problems, []);
});

test("filters by level, service, tag and text apply to the live tail", { timeout: 60_000 }, async () => {
  const page = await open();
  await page.selectOption("#f-level", "ERROR");
  await applyFilters(page, "level=ERROR");
  push(rec("lvl info", { level: "INFO" }), rec("lvl error", { level: "ERROR" }));
  await waitForRow(page, "lvl error");
  assert.ok(!(await rowTexts(page)).includes("lvl info"));

  await page.selectOption("#f-level", "");
  await page.fill("#f-service", "payments");
  await applyFilters(page, "service=payments");
  push(rec("svc checkout"), rec("svc payments", { service: "payments" }));
  await waitForRow(page, "svc payments");
  assert.ok(!(await rowTexts(page)).includes("svc checkout"));

  await page.fill("#f-service", "");
  await page.fill("#f-tag", "audit");
  await applyFilters(page, "tag=audit");
  push(rec("tag none"), rec("tag audit", { tags: ["audit"] }));
  await waitForRow(page, "tag audit");
  assert.ok(!(await rowTexts(page)).includes("tag none"));

  await page.fill("#f-tag", "");
  await page.fill("#f-q", "needle");
  await applyFilters(page, "q=needle");
  const before = await rowTexts(page);
  assert.ok(before.every((t) => t.toLowerCase().includes("needle")), "the backlog is filtered too");
  push(rec("only hay"), rec("a NEEDLE in hay"));
  await waitForRow(page, "a NEEDLE in hay");
  assert.ok(!(await rowTexts(page)).includes("only hay"));
  await page.close();
  assert.deepEqual(problems, []);
});

const PAYLOADS = [
  "<script>window.__xss=1;alert(1)</script>",
  '<img src=x onerror="window.__xss=2;alert(2)">',
  "javascript:alert(3)",
  '<a href="javascript:window.__xss=3">click</a>',
  '\n\ndata: {"records":[{"seq":1,"pipeline":"main","record":{"message":"forged frame"}}],"skipped":0,"lost":0}\n\n',
  "\u001b[31mred\u001b[0m \u001b]0;title\u0007",
  "line\u2028separator\u2029paragraph",
  "<svg onload=alert(4)>",
  '"><iframe src="javascript:alert(5)"></iframe>',
  "\u202eevil-bidi",
];

test("a record carrying XSS payloads is shown as text and no script runs", { timeout: 60_000 }, async () => {
  const page = await open();
  const message = `xss ${PAYLOADS.join(" | ")}`;
  push(
    rec(message, {
      level: "ERROR",
      service: "<b onmouseover=alert(6)>svc</b>",
      tags: ["<i>tag</i>"],
      fields: { html: "<img src=x onerror=alert(7)>", url: "javascript:alert(8)", nested: { s: "<script>alert(9)</script>" } },
    }),
  );
  app.bus.emit("record:parse-failed", { pipeline: "main", plugin: "p", line: "<img src=x onerror=alert(10)>\u001b[2J", reason: "<b>bad</b>", file: "/tmp/<x>.log", offset: 0 });
  await page.waitForFunction(() => [...document.querySelectorAll("#tail td")].some((td) => td.textContent?.startsWith("xss ")), undefined, { timeout: 10_000 });
  const shown = (await rowTexts(page)).find((t) => t.startsWith("xss "))!;
  assert.ok(shown.includes("<script>window.__xss=1;alert(1)</script>"), "markup is shown literally");
  assert.ok(shown.includes('<img src=x onerror="window.__xss=2;alert(2)">'));
  assert.ok(shown.includes("\\u001b[31mred"), "ANSI escapes are shown as visible escapes");
  assert.ok(shown.includes("line\\u2028separator\\u2029paragraph"), "U+2028/2029 are shown as escapes");
  assert.ok(shown.includes("\\u202eevil-bidi"), "bidi overrides are shown as escapes");
  assert.ok(!shown.includes("\u001b") && !shown.includes("\u2028"));
  assert.ok(!(await rowTexts(page)).includes("forged frame"), "an SSE frame break in content forged no record");
  await page.click("#tail tr:last-child");
  await page.waitForSelector("#detail:not([hidden])");
  const detail = await page.textContent("#detail-fields");
  assert.ok(detail!.includes("<img src=x onerror=alert(7)>"));
  assert.ok(detail!.includes("<script>alert(9)</script>"));
  await page.waitForFunction(() => document.getElementById("dead-letters")!.textContent!.includes("onerror=alert(10)"), undefined, { timeout: 10_000 });
  await page.hover("#tail tr:last-child td:nth-child(4)");
  const injected = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: number }).__xss,
    elements: document.querySelectorAll("main img, main script, main svg, main iframe, main a, main b, main i").length,
  }));
  assert.deepEqual(injected, { xss: undefined, elements: 0 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}xss-${runtime.name}.png`, fullPage: true });
  await page.close();
  assert.deepEqual(problems, [], "no dialog, page error or console error (a CSP violation would be one)");
});

test("the panels show counters, rates and parse errors live; a screenshot is saved", { timeout: 60_000 }, async () => {
  const page = await open();
  for (let i = 0; i < 20; i++) push(rec(`panel ${i}`, { level: i % 5 === 0 ? "WARN" : "INFO", fields: { seq: i, latency_ms: 10 + i } }));
  await page.waitForFunction(() => /pushed/.test(document.getElementById("pipelines")!.textContent ?? ""), undefined, { timeout: 10_000 });
  const text = await page.textContent("#pipelines");
  assert.match(text!, /main/);
  assert.match(text!, /running/);
  assert.match(text!, /nowhere/);
  await page.waitForFunction(() => /through the tap/.test(document.getElementById("rate")!.textContent ?? ""), undefined, { timeout: 10_000 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}dashboard-${runtime.name}.png`;
  await page.screenshot({ path, fullPage: true });
  assert.ok(existsSync(path));
  await page.close();
  assert.deepEqual(problems, []);
});
