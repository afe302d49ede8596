import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { formatIssue } from "../../core/errors.ts";
import { definePlugin } from "../../core/plugin.ts";
import type { LogRecord } from "../../core/types.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { readEvents } from "./_testing.ts";
import { isLoopback, webSchema } from "./schema.ts";
import { web, webUrl } from "./web.ts";

const runtime = await detectRuntime();

const ticking = definePlugin({
  kind: "source",
  name: "ticking",
  description: "test source: a record every few ms until stopped",
  schema: z.object({ everyMs: z.number().default(5) }),
  create: (o, ctx) => ({
    async *batches() {
      for (let i = 0; i < 100_000 && !ctx.signal.aborted; i++) {
        const record: LogRecord = { time: ctx.clock.now(), level: i % 10 === 0 ? "ERROR" : "INFO", message: `tick ${i}`, service: "ticker", fields: { i, password: "hunter2" } };
        yield [record];
        if (!(await ctx.clock.sleep(o.everyMs, ctx.signal))) return;
      }
    },
  }),
});
const nowhere = definePlugin({ kind: "sink", name: "nowhere", description: "test sink", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });

const resolve = (value: unknown) => validateConfig(value, { registry: new Map() });

test("binding beyond loopback without a token is refused at config load, with a clear message", () => {
  const result = resolve({ pipelines: {}, services: [web({ host: "0.0.0.0" })] });
  assert.ok(result.isErr());
  const lines = result.error.issues.map(formatIssue);
  assert.deepEqual(lines, ["services[0] web > host: binding the web interface to a non-loopback host needs a token: set `token` (16+ characters) or use host 127.0.0.1"]);
  assert.ok(resolve({ pipelines: {}, services: [web({ host: "0.0.0.0", token: "a-long-enough-token" })] }).isOk());
  assert.ok(resolve({ pipelines: {}, services: [web({ host: "127.0.0.1" })] }).isOk());
  assert.ok(resolve({ pipelines: {}, services: [web({ token: "short" })] }).isErr());
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) assert.ok(isLoopback(host), host);
  for (const host of ["0.0.0.0", "::", "192.168.1.4", "example.com", "127.0.0.1.evil.com"]) assert.ok(!isLoopback(host), host);
  assert.deepEqual(webSchema.parse({}), { host: "127.0.0.1", port: 8080, title: "logsim", buffer: 10000, maxLimit: 1000, maxStreams: 16, streamRate: 200, idleTimeout: 60000, historyPoints: 300 });
  assert.equal(webUrl("::1", 80), "http://[::1]:80/");
});

test(`the web service serves on ${runtime.name}'s own server: port 0, live API, redacted config, streams end at stop`, async () => {
  const config = resolve({
    pipelines: { main: { sources: [ticking({ everyMs: 5 })], sinks: [nowhere()] } },
    services: [web({ port: 0, token: "tok-0123456789abcdef" })],
  })._unsafeUnwrap();
  const lines: string[] = [];
  const stderr = { isTTY: false, write: (chunk: string | Uint8Array) => (lines.push(String(chunk)), Promise.resolve()), flush: () => Promise.resolve() };
  const app = createApp(config, { runtime: { ...runtime, stderr } });
  assert.ok((await app.start()).isOk());
  try {
    const announced = lines.join("").match(/web interface at (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    assert.ok(announced, `the URL is logged: ${lines.join("")}`);
    const base = announced[1]!;
    assert.notEqual(Number(announced[2]), 0);
    const auth = { authorization: "Bearer tok-0123456789abcdef" };
    assert.equal((await fetch(`${base}healthz`)).status, 200);
    assert.equal((await fetch(`${base}api/logs`)).status, 401);
    const configText = await (await fetch(`${base}api/config`, { headers: auth })).text();
    assert.ok(!configText.includes("tok-0123456789abcdef"), "the token is redacted");
    assert.match(configText, /\[redacted\]/);
    let logs: { records: Array<{ record: { message: string } }> } = { records: [] };
    for (let i = 0; i < 100 && logs.records.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      logs = (await (await fetch(`${base}api/logs?limit=3`, { headers: auth })).json()) as typeof logs;
    }
    assert.equal(logs.records.length, 3);
    assert.match(logs.records[2]!.record.message, /^tick \d+$/);
    const stream = await fetch(`${base}api/stream?level=ERROR`, { headers: auth });
    const events = await readEvents(stream.body!, (e) => e.some((x) => x.event === "records"), 5000);
    const batch = JSON.parse(events.find((e) => e.event === "records")!.data) as { records: Array<{ record: { level: string } }> };
    assert.ok(batch.records.length > 0 && batch.records.every((r) => r.record.level === "ERROR"));
    // A stream left open must not keep stop() from finishing.
    const open = await fetch(`${base}api/stream`, { headers: auth });
    assert.equal(open.status, 200);
    const started = performance.now();
    assert.ok((await app.stop()).isOk());
    assert.ok(performance.now() - started < 5000, "stop() returned promptly with a stream open");
    await open.body?.cancel().catch(() => {});
    await assert.rejects(fetch(`${base}healthz`), "the port is closed after stop");
  } finally {
    await app.stop();
  }
});
