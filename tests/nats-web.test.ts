/**
 * The NATS plugins seen through the web interface, on a real nats-server: an agent app publishes
 * with the nats sink, a worker app consumes with nats-source; each serves the web interface.
 * The worker's dashboard shows the records it consumes (/api/logs), and both apps' /metrics carry
 * the plugins' own metrics (published, acked, in flight, lag...), which they emit as plugin:metrics.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { z } from "zod";
import { definePlugin, formatError, type LogRecord } from "../core/mod.ts";
import { createApp, systemClock, validateConfig, type App } from "../core/host.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { jsonl, nats, natsSource, web } from "../plugins/mod.ts";
import { withClient } from "../plugins/nats/_test-kit.ts";
import { natsServerMissing, startNatsServer, waitUntil, type NatsServer } from "../plugins/nats/_test-servers.ts";

const RECORDS = 300;
const skip = natsServerMissing();
const runtime = await detectRuntime();

/** RECORDS sequenced records, then it stays (a source that ends stops its pipeline). */
const sequence = definePlugin({
  kind: "source",
  name: "test-sequence",
  description: "Sequenced records for the NATS web test",
  schema: z.object({ count: z.number() }),
  create: (o, ctx) => ({
    async *batches() {
      yield Array.from({ length: o.count }, (_, i): LogRecord => ({ time: Date.now(), level: "INFO", message: `record ${i + 1}`, service: "api", fields: { generator: "agent", seq: i + 1 } }));
      await ctx.clock.sleep(3_600_000, ctx.signal);
    },
  }),
});

let dir: string;
let server: NatsServer | undefined;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "logsim-nats-web-"));
  if (!skip) server = await startNatsServer(dir);
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts an app with a web service on a free port; returns it and the interface's base URL. */
async function startWithWeb(pipelines: Record<string, unknown>): Promise<{ app: App; base: string }> {
  const config = validateConfig({ pipelines, services: [web({ port: 0 })] }, { registry: new Map() });
  if (config.isErr()) throw new Error(formatError(config.error).join("\n"));
  const lines: string[] = [];
  const stderr = { isTTY: false, write: (chunk: string | Uint8Array) => (lines.push(String(chunk)), Promise.resolve()), flush: () => Promise.resolve() };
  const app = createApp(config.value, { runtime: { ...runtime, stderr }, clock: systemClock });
  const started = await app.start();
  if (started.isErr()) throw new Error(formatError(started.error).join("\n"));
  const base = /web interface at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(lines.join(""))?.[1];
  if (!base) {
    await app.stop();
    throw new Error(`no web interface URL announced: ${lines.join("")}`);
  }
  return { app, base };
}

/** One family's sample for a pipeline, from Prometheus text; undefined when absent. */
function sample(text: string, family: string, pipeline: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${family}{pipeline="${pipeline}",`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

test("a worker's dashboard shows the records it consumes, and /metrics has both NATS plugins' metrics", { skip, timeout: 120_000 }, async () => {
  const url = server!.url;
  await withClient(url, async (nc) => void (await (await jetstreamManager(nc)).streams.add({ name: "WEB", subjects: ["web.>"] })));
  const apps: App[] = [];
  try {
    const agent = await startWithWeb({
      agent: {
        sources: [sequence({ count: RECORDS })],
        sinks: [nats({ url, stream: { name: "WEB" }, subject: "web.{service}", deadletter: join(dir, "dead.jsonl"), statsInterval: "100ms" })],
        flushInterval: "50ms",
      },
    });
    apps.push(agent.app);
    const worker = await startWithWeb({
      worker: {
        sources: [natsSource({ url, stream: "WEB", consumer: "dashboard", batchSize: 100, statsInterval: "100ms" })],
        sinks: [jsonl({ path: join(dir, "worker.jsonl") })],
        flushInterval: "50ms",
      },
    });
    apps.push(worker.app);

    // The worker's dashboard: its tap holds the consumed records, as the sink got them.
    let seqs: number[] = [];
    await waitUntil(`the worker's /api/logs to list ${RECORDS} records`, async () => {
      const page = (await (await fetch(`${worker.base}api/logs?pipeline=worker&limit=1000`)).json()) as { records: Array<{ pipeline: string; record: { message: string; seq: number } }> };
      assert.ok(page.records.every((e) => e.pipeline === "worker"));
      seqs = page.records.map((e) => e.record.seq);
      assert.ok(page.records.every((e) => e.record.message === `record ${e.record.seq}`));
      return seqs.length >= RECORDS;
    }, 60_000, 50);
    assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: RECORDS }, (_, i) => i + 1));

    // Both plugins' own metrics, in each app's /metrics, once the acks are counted.
    let workerText = "";
    await waitUntil("the worker's /metrics to count every message acked", async () => {
      workerText = await (await fetch(`${worker.base}metrics`)).text();
      return sample(workerText, "logsim_plugin_nats_source_acked_total", "worker") === RECORDS;
    }, 30_000, 50);
    assert.equal(sample(workerText, "logsim_plugin_nats_source_delivered_total", "worker"), RECORDS);
    assert.equal(sample(workerText, "logsim_plugin_nats_source_redelivered_total", "worker"), 0);
    assert.equal(sample(workerText, "logsim_plugin_nats_source_in_flight", "worker"), 0);
    assert.equal(sample(workerText, "logsim_plugin_nats_source_lag", "worker"), 0);
    assert.equal(sample(workerText, "logsim_plugin_nats_source_connected", "worker"), 1);
    assert.match(workerText, /^# TYPE logsim_plugin_nats_source_lag gauge$/m);
    assert.match(workerText, /^logsim_plugin_nats_source_acked_total\{pipeline="worker",id="[^"]+",plugin="nats-source",kind="source"\} 300$/m);

    let agentText = "";
    await waitUntil("the agent's /metrics to count every publish acked", async () => {
      agentText = await (await fetch(`${agent.base}metrics`)).text();
      return sample(agentText, "logsim_plugin_nats_sink_acked_total", "agent") === RECORDS;
    }, 30_000, 50);
    assert.equal(sample(agentText, "logsim_plugin_nats_sink_published_total", "agent"), RECORDS);
    assert.equal(sample(agentText, "logsim_plugin_nats_sink_retried_total", "agent"), 0);
    assert.equal(sample(agentText, "logsim_plugin_nats_sink_in_flight", "agent"), 0);
    assert.equal(sample(agentText, "logsim_plugin_nats_sink_connected", "agent"), 1);
    assert.match(agentText, /^# TYPE logsim_plugin_nats_sink_published_total counter$/m);

    // The dashboard's per-plugin view reads the same metrics from /api/metrics.
    const m = (await (await fetch(`${worker.base}api/metrics`)).json()) as { pipelines: Array<{ plugins: Array<{ name: string; metrics: Array<{ name: string; value: number }> }> }> };
    const source = m.pipelines[0]!.plugins.find((p) => p.name === "nats-source")!;
    assert.equal(source.metrics.find((x) => x.name === "nats_source_acked")?.value, RECORDS);
  } finally {
    for (const app of apps.reverse()) await app.stop();
  }
});
