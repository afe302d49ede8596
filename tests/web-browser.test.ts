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

/** A source per pipeline that yields whatever the test pushes to that pipeline. */
const queues = new Map<string, LogRecord[][]>();
const wakes = new Map<string, () => void>();
const pushTo = (pipeline: string, ...records: LogRecord[]) => {
  queues.get(pipeline)!.push(records);
  wakes.get(pipeline)?.();
};
const push = (...records: LogRecord[]) => pushTo("main", ...records);
const pushed = definePlugin({
  kind: "source",
  name: "pushed",
  description: "test source fed by the test",
  schema: z.object({ pipeline: z.string() }),
  create: ({ pipeline }, ctx) => {
    const queue: LogRecord[][] = [];
    queues.set(pipeline, queue);
    return {
      async *batches() {
        while (!ctx.signal.aborted) {
          const batch = queue.shift();
          if (batch) yield batch;
          else await new Promise<void>((resolve) => (wakes.set(pipeline, resolve), ctx.signal.addEventListener("abort", () => resolve(), { once: true })));
        }
      },
    };
  },
});
const nowhere = definePlugin({ kind: "sink", name: "nowhere", description: "test sink", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });
const rec = (message: string, extra: Partial<LogRecord> = {}): LogRecord => ({ time: Date.now(), level: "INFO", message, service: "checkout", ...extra });

let app: App;
let browser: Browser;
let base = "";
const problems: string[] = [];

before(async () => {
  const config = validateConfig(
    {
      pipelines: { main: { sources: [pushed({ pipeline: "main" })], sinks: [nowhere()] }, audit: { sources: [pushed({ pipeline: "audit" })], sinks: [nowhere()] } },
      services: [web({ port: 0, title: `logsim on ${runtime.name}` })],
    },
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

/** How long a wait for the page may take: on a loaded 2-core machine Chromium, the server and the rest of the suite share the cores. */
const WAIT_MS = 30_000;

/** Pages opened by the running test: a test that failed half-way leaves its own open, which browserTest closes. */
const openPages = new Set<Page>();

/**
 * A test of the dashboard. It starts with no page open and no problem recorded: a test that failed
 * half-way does not fail the next ones with what its pages still logged (a refused pattern's 400).
 */
function browserTest(name: string, fn: () => Promise<void>): void {
  test(name, { timeout: 90_000 }, async () => {
    await Promise.all([...openPages].map((page) => page.close()));
    openPages.clear();
    problems.length = 0;
    await fn();
  });
}

/** Opens the dashboard (at `path`, a shared view's URL) and records every dialog, page error and console error as a problem. */
async function open(path = "", width = 1400): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  openPages.add(page);
  page.on("close", () => openPages.delete(page));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(new URL(path, base).href);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: WAIT_MS });
  return page;
}

const rowTexts = (page: Page) => page.$$eval("#tail tr td:nth-child(5)", (tds) => tds.map((td) => td.textContent ?? ""));

async function waitForRow(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll("#tail tr td:nth-child(5)")].some((td) => td.textContent === t), text, { timeout: WAIT_MS });
}

/** A query string as the page writes it (URLSearchParams: spaces as +). */
const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function applyFilters(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((e) => document.body.dataset.filters === e && document.getElementById("conn")!.dataset.state === "live", expected, { timeout: WAIT_MS });
}

browserTest(`the live tail shows records written after the page opened (served by ${runtime.name})`, async () => {
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
  await page.waitForFunction(() => document.getElementById("pause")!.textContent === "Resume (1 new)", undefined, { timeout: WAIT_MS });
  assert.ok(!(await rowTexts(page)).includes("arrived while paused"));
  await page.click("#pause");
  await waitForRow(page, "arrived while paused");
  await page.close();
  assert.deepEqual(problems, []);
});

browserTest("filters by level, service, tag and text apply to the live tail", async () => {
  const page = await open();
  await page.selectOption("#f-level", "ERROR");
  await applyFilters(page, "level=ERROR");
  push(rec("lvl info", { level: "INFO" }), rec("lvl error", { level: "ERROR" }));
  await waitForRow(page, "lvl error");
  assert.ok(!(await rowTexts(page)).includes("lvl info"));

  await page.selectOption("#f-level", "");
  await page.fill("#f-service", "PAYMENT");
  await applyFilters(page, "service=PAYMENT");
  push(rec("svc checkout"), rec("svc payment-service", { service: "payment-service" }));
  await waitForRow(page, "svc payment-service");
  assert.ok(!(await rowTexts(page)).includes("svc checkout"), "service matches a case-insensitive part of the name");

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

browserTest("the service field offers the services seen, with counts, and says what its text matches", async () => {
  push(rec("seen 1", { service: "payment-service" }), rec("seen 2", { service: "payment-service" }), rec("seen 3", { service: "inventory" }));
  const page = await open();
  await waitForRow(page, "seen 3");
  await page.focus("#f-service");
  await page.waitForFunction(() => [...document.querySelectorAll("#f-service-list option")].some((o) => (o as HTMLOptionElement).value === "inventory"), undefined, { timeout: WAIT_MS });
  const options = new Map(await page.$$eval("#f-service-list option", (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? ""] as const)));
  assert.match(options.get("payment-service") ?? "", /^\d+ recent$/);
  assert.ok(Number.parseInt(options.get("payment-service")!) >= 2, "with how many records it has");
  assert.equal(await page.getAttribute("#f-service", "list"), "f-service-list");
  assert.equal(await page.getAttribute("#f-service", "aria-describedby"), "f-service-hint");
  await page.fill("#f-service", "pay");
  await page.waitForFunction(() => /matches payment-service/.test(document.getElementById("f-service-hint")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  await applyFilters(page, "service=pay");
  assert.ok((await rowTexts(page)).includes("seen 1"), "the backlog is filtered by the substring too");
  assert.ok(!(await rowTexts(page)).includes("seen 3"));
  await page.fill("#f-service", "paymnt");
  await page.waitForFunction(() => /No recent service matches "paymnt"/.test(document.getElementById("f-service-hint")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  await page.fill("#f-service", "=inventory");
  await applyFilters(page, "service=%3Dinventory");
  assert.deepEqual((await rowTexts(page)).filter((t) => t.startsWith("seen")), ["seen 3"], "=name is the exact name");
  await page.close();
  assert.deepEqual(problems, []);
});

browserTest("pipeline and regex filters apply to backlog and stream, a refused regex is shown inline without breaking the stream, and the view survives a reload", async () => {
  const page = await open();
  await page.waitForSelector('#f-pipeline option[value="audit"]', { state: "attached", timeout: WAIT_MS });
  await page.selectOption("#f-pipeline", "audit");
  await applyFilters(page, "pipeline=audit");
  pushTo("main", rec("pl main one"));
  pushTo("audit", rec("pl audit one"), rec("pl audit two"));
  await waitForRow(page, "pl audit two");
  assert.deepEqual((await rowTexts(page)).filter((t) => t.startsWith("pl ")), ["pl audit one", "pl audit two"]);

  await page.fill("#f-re", "^pl AUDIT t[a-z]+ ");
  await applyFilters(page, qs({ pipeline: "audit", re: "^pl AUDIT t[a-z]+ " }));
  assert.deepEqual((await rowTexts(page)).filter((t) => t.startsWith("pl ")), ["pl audit two"], "the backlog is filtered by the regex");
  pushTo("audit", rec("pl audit three"), rec("pl audit four"));
  await waitForRow(page, "pl audit three");
  assert.ok(!(await rowTexts(page)).includes("pl audit four"), "the stream is filtered by the regex");

  // A refused pattern: the API's reason next to the field, the field marked invalid, the tail goes on as it was.
  await page.fill("#f-re", "(a)\\1");
  await page.waitForFunction(() => /regex refused: .*backreference/.test(document.getElementById("f-re-error")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  assert.equal(await page.getAttribute("#f-re", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#f-re", "aria-describedby"), "f-re-error");
  assert.equal(await page.getAttribute("#f-re-error", "aria-live"), "polite");
  assert.equal(await page.getAttribute("#conn", "data-state"), "live");
  pushTo("audit", rec("pl audit ten"), rec("pl audit eleven"));
  await waitForRow(page, "pl audit ten");
  assert.ok((await rowTexts(page)).includes("pl audit three"), "the rows shown before are kept");
  await page.fill("#f-re", "^pl audit t");
  await applyFilters(page, qs({ pipeline: "audit", re: "^pl audit t" }));
  assert.equal(await page.textContent("#f-re-error"), "");
  assert.equal(await page.getAttribute("#f-re", "aria-invalid"), null);

  // The view is in the URL: a reload (or the link, shared) shows the same filters, applied.
  const url = new URL(page.url());
  assert.equal(url.search, `?${qs({ pipeline: "audit", re: "^pl audit t" })}`);
  const shared = await open(`/${url.search}&level=INFO`);
  await applyFilters(shared, qs({ level: "INFO", pipeline: "audit", re: "^pl audit t" }));
  assert.equal(await shared.inputValue("#f-pipeline"), "audit");
  assert.equal(await shared.inputValue("#f-re"), "^pl audit t");
  assert.equal(await shared.inputValue("#f-level"), "INFO");
  const texts = (await rowTexts(shared)).filter((t) => t.startsWith("pl "));
  assert.deepEqual(texts, ["pl audit two", "pl audit three", "pl audit ten"]);
  await shared.close();

  // A shared link with a refused pattern: the other filters apply and the field says why.
  const broken = await open(`/?pipeline=audit&re=${encodeURIComponent("(?=x)")}`);
  await applyFilters(broken, "pipeline=audit");
  await broken.waitForFunction(() => /lookahead/.test(document.getElementById("f-re-error")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  await broken.close();
  await page.close();
  // Chromium logs each refused request (the API's 400) as a console error: exactly the two refused patterns, nothing else.
  const refused = problems.filter((p) => /status of 400 \(Bad Request\)/.test(p));
  assert.equal(refused.length, 2, problems.join("\n"));
  assert.deepEqual(problems.filter((p) => !refused.includes(p)), []);
  problems.length = 0;
});

browserTest("with the details open the table reflows at 1280, 1024 and 800 px: the message stays inside its container, readable; keys select records", async () => {
  const long = `layout ${"a long message that goes on and on ".repeat(12)}end`;
  const page = await open("", 1280);
  push(rec(long, { service: "a-rather-long-service-name-for-layout", fields: { user_id: 7 } }));
  await waitForRow(page, long);
  await page.click("#tail tr:last-child");
  await page.waitForSelector("#detail:not([hidden])");
  const rowInView = await page.evaluate(() => {
    const [row, wrap] = [document.querySelector("#tail tr.selected")!.getBoundingClientRect(), document.querySelector(".table-wrap")!.getBoundingClientRect()];
    return row.top >= wrap.top && row.bottom <= wrap.bottom + 0.5 && row.bottom <= innerHeight;
  });
  assert.ok(rowInView, "the table got shorter to make room for the details, and the selected record stayed in view");
  for (const width of [1280, 1024, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true)))); // one layout after the resize
    const m = await page.evaluate(() => {
      // No helper functions in here: under tsx, esbuild wraps named functions with a __name() the page does not have.
      const wrap = document.querySelector(".table-wrap")!;
      const cell = [...document.querySelectorAll<HTMLElement>("#tail tr td:nth-child(5)")].find((td) => td.textContent!.startsWith("layout "))!;
      const range = document.createRange();
      range.setStart(cell.firstChild!, 0);
      range.setEnd(cell.firstChild!, 20);
      const detail = document.getElementById("detail")!;
      const [w, c, t, d] = [wrap.getBoundingClientRect(), cell.getBoundingClientRect(), range.getBoundingClientRect(), detail.getBoundingClientRect()];
      return {
        viewport: document.documentElement.clientWidth,
        wrap: { left: w.left, right: w.right, scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth },
        cell: { left: c.left, right: c.right, width: c.width },
        text: { left: t.left, right: t.right },
        detail: { left: d.left, right: d.right, width: d.width },
        pageScrollWidth: document.documentElement.scrollWidth,
      };
    });
    const at = `at ${width} px: ${JSON.stringify(m)}`;
    assert.ok(m.wrap.scrollWidth <= m.wrap.clientWidth, `the table does not scroll sideways ${at}`);
    assert.ok(m.cell.right <= m.wrap.right + 0.5 && m.cell.right <= m.viewport, `the message cell ends inside the table's container ${at}`);
    assert.ok(m.cell.width >= 150, `the message cell keeps a readable width ${at}`);
    assert.ok(m.text.left >= m.cell.left && m.text.right <= m.cell.right && m.text.right > m.text.left, `the message's first 20 characters are in view ${at}`);
    assert.ok(m.detail.right <= m.viewport && m.detail.width >= 200, `the details are in view ${at}`);
    assert.ok(m.pageScrollWidth <= m.viewport, `the page does not scroll sideways ${at}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}detail-${width}-${runtime.name}.png` });
  }
  // Keyboard: Escape closes the details; arrow keys from the table select a record and show it.
  await page.keyboard.press("Escape");
  await page.waitForSelector("#detail", { state: "hidden" });
  await page.focus(".table-wrap");
  await page.keyboard.press("End");
  await page.waitForSelector("#detail:not([hidden])");
  assert.match((await page.textContent("#detail-fields"))!, /user_id7/);
  await page.keyboard.press("ArrowUp");
  const selected = await page.$eval("#tail tr.selected", (tr) => [tr === document.activeElement, tr.nextElementSibling !== null] as const);
  assert.deepEqual(selected, [true, true], "ArrowUp selected and focused the record above");
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

browserTest("a record carrying XSS payloads is shown as text and no script runs", async () => {
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
  await page.waitForFunction(() => [...document.querySelectorAll("#tail td")].some((td) => td.textContent?.startsWith("xss ")), undefined, { timeout: WAIT_MS });
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
  await page.waitForFunction(() => document.getElementById("dead-letters")!.textContent!.includes("onerror=alert(10)"), undefined, { timeout: WAIT_MS });
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

browserTest("the panels show counters, rates and parse errors live; a screenshot is saved", async () => {
  const page = await open();
  for (let i = 0; i < 20; i++) push(rec(`panel ${i}`, { level: i % 5 === 0 ? "WARN" : "INFO", fields: { seq: i, latency_ms: 10 + i } }));
  await page.waitForFunction(() => /pushed/.test(document.getElementById("pipelines")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  const text = await page.textContent("#pipelines");
  assert.match(text!, /main/);
  assert.match(text!, /running/);
  assert.match(text!, /nowhere/);
  await page.waitForFunction(() => /through the tap/.test(document.getElementById("rate")!.textContent ?? ""), undefined, { timeout: WAIT_MS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}dashboard-${runtime.name}.png`;
  await page.screenshot({ path, fullPage: true });
  assert.ok(existsSync(path));
  await page.close();
  assert.deepEqual(problems, []);
});
