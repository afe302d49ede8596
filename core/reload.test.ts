import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { detectRuntime } from "../runtime/detect.ts";
import { createApp } from "./app.ts";
import { validateConfig, type ResolvedConfig } from "./config/validate.ts";
import { definePlugin } from "./plugin.ts";
import { formatReloadPlan, planReload, sameValue } from "./reload.ts";

const runtime = await detectRuntime();

const idle = definePlugin({
  kind: "source",
  name: "idle",
  description: "test source: nothing until stopped",
  schema: z.object({ n: z.number().default(0) }),
  create: (_, ctx) => ({
    async *batches() {
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    },
  }),
});
const nowhere = definePlugin({ kind: "sink", name: "nowhere", description: "test sink", schema: z.object({}), create: () => ({ write() {}, flush() {}, close() {} }) });
const upper = definePlugin({ kind: "transform", name: "upper", description: "test transform", schema: z.object({ fn: z.custom<() => void>().optional(), re: z.instanceof(RegExp).optional() }), create: () => ({ transform: (r) => r }) });
const events: string[] = [];
const svc = definePlugin({
  kind: "service",
  name: "svc",
  description: "test service",
  schema: z.object({ port: z.number() }),
  create: (o) => ({ start: () => void events.push(`start ${o.port}`), stop: () => void events.push(`stop ${o.port}`) }),
});

function resolve(value: Record<string, unknown>): ResolvedConfig {
  const r = validateConfig(value, { registry: new Map() });
  assert.ok(r.isOk(), JSON.stringify(r.isErr() && r.error.issues));
  return r.value;
}

const pipe = (extra: Record<string, unknown> = {}) => ({ sources: [idle()], sinks: [nowhere()], ...extra });

test("a plan restarts what changed (plugins, order, options, settings), starts and stops what came and went, keeps the rest", () => {
  const from = resolve({ pipelines: { a: pipe(), b: pipe({ transforms: [upper(), upper({ re: /x/i })] }), c: pipe(), gone: pipe() }, services: [svc({ port: 1 }), svc({ port: 2 })] });
  const to = resolve({
    pipelines: { a: pipe(), b: pipe({ transforms: [upper({ re: /x/i }), upper()] }), c: pipe({ retry: { maxBackoff: "1s" }, channel: { capacity: 2 } }), fresh: pipe() },
    services: [svc({ port: 1 }), svc({ port: 3 }), svc({ port: 4 })],
  });
  const plan = planReload(from, to);
  assert.deepEqual(plan.pipelines, { restart: [{ key: "b", label: "b", why: "transforms changed" }, { key: "c", label: "c", why: "settings (channel, retry) changed" }], start: ["fresh"], stop: ["gone"], unchanged: ["a"] });
  assert.deepEqual(plan.services.restart.map((c) => [c.key, c.why]), [["svc-2", "options changed"]]);
  assert.deepEqual(plan.services.start.map((c) => c.key), ["svc-3"]);
  assert.equal(
    formatReloadPlan(plan),
    "restarted pipeline b (transforms changed); restarted pipeline c (settings (channel, retry) changed); started pipeline fresh (new); stopped pipeline gone (removed); restarted svc (options changed); started svc (new); a, svc unchanged",
  );
  assert.equal(formatReloadPlan(planReload(to, to)), "nothing changed (a, b, c, fresh, svc, svc, svc kept running)");
});

test("option values compare by structure; a function only to itself (a reloaded config makes new ones: restart, never stale)", () => {
  assert.ok(sameValue({ a: [1, { b: "x" }], re: /a+/g, at: new Date(5) }, { a: [1, { b: "x" }], re: /a+/g, at: new Date(5) }));
  assert.ok(!sameValue({ a: [1, 2] }, { a: [1, 2, 3] }));
  assert.ok(!sameValue(/a/g, /a/i));
  assert.ok(!sameValue({ a: 1 }, { a: 1, b: undefined }));
  const f = () => {};
  assert.ok(sameValue({ f }, { f }));
  assert.ok(!sameValue({ f: () => {} }, { f: () => {} }));
  const from = resolve({ pipelines: { p: pipe({ transforms: [upper({ fn: () => {} })] }) } });
  const to = resolve({ pipelines: { p: pipe({ transforms: [upper({ fn: () => {} })] }) } });
  assert.deepEqual(planReload(from, to).pipelines.restart.map((c) => c.key), ["p"]);
});

test("app.reload stops and starts only what changed: a kept pipeline is the same runner, a service with new options restarts", async () => {
  events.length = 0;
  const app = createApp(resolve({ pipelines: { a: pipe(), b: pipe() }, services: [svc({ port: 1 }), svc({ port: 2 })] }), { runtime });
  (await app.start())._unsafeUnwrap();
  const [a, b] = app.pipelines();
  const result = await app.reload(resolve({ pipelines: { a: pipe(), b: pipe({ transforms: [upper()] }), c: pipe() }, services: [svc({ port: 1 }), svc({ port: 5 })] }));
  assert.ok(result.isOk());
  const now = app.pipelines();
  assert.deepEqual(now.map((p) => p.name), ["a", "b", "c"]);
  assert.equal(now[0], a, "a kept running, untouched");
  assert.notEqual(now[1], b);
  assert.equal(b!.state, "stopped", "the old b stopped cleanly");
  assert.deepEqual(now.map((p) => p.state), ["running", "running", "running"]);
  assert.deepEqual(events, ["start 1", "start 2", "stop 2", "start 5"]);
  assert.deepEqual((app.config() as { pipelines: Record<string, unknown> }).pipelines.c !== undefined, true, "the app's config is the new one");
  (await app.stop())._unsafeUnwrap();
  assert.deepEqual(events.slice(4), ["stop 5", "stop 1"], "services stop in reverse of the new config's order");
  assert.deepEqual(await app.finished, []);
});
