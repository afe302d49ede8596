/**
 * The scale-out scenario on a real 3-node JetStream cluster: agents publish sequenced records to
 * an R3 stream through the nats sink while two workers consume them (nats-source -> jsonl); a fault
 * is injected (the stream leader SIGKILLed and restarted, or the whole cluster down for a while).
 * Returns the figures; the caller asserts. Used by the short test, the long test and the bench.
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { z } from "zod";
import { definePlugin, formatError, type LogRecord } from "../../core/mod.ts";
import { createApp, systemClock, validateConfig } from "../../core/host.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { jsonl } from "../jsonl/mod.ts";
import { nats, natsSource } from "./mod.ts";
import { withClient } from "./_test-kit.ts";
import { startNatsCluster, waitUntil, type NatsCluster } from "./_test-servers.ts";

/** Yields `count` records numbered from `from`, in batches, at `rate` records/s (0: as fast as it is pulled). */
const sequence = definePlugin({
  kind: "source",
  name: "test-sequence",
  description: "Sequenced records for the cluster scenario",
  schema: z.object({ agent: z.string(), from: z.number(), count: z.number(), batch: z.number().default(200), rate: z.number().default(0) }),
  create: (o, ctx) => ({
    async *batches() {
      const started = ctx.clock.monotonic();
      for (let i = 0; i < o.count; i += o.batch) {
        const due = o.rate > 0 ? started + (i / o.rate) * 1000 - ctx.clock.monotonic() : 0;
        if (due > 0 && !(await ctx.clock.sleep(due, ctx.signal))) return;
        const n = Math.min(o.batch, o.count - i);
        yield Array.from({ length: n }, (_, k): LogRecord => ({ time: Date.now(), level: "INFO", message: `record ${o.from + i + k}`, service: o.agent, fields: { generator: o.agent, seq: o.from + i + k } }));
      }
      // Then it stays, as a tail source does: a source that ends makes its pipeline stop, and a
      // stopping pipeline gives a failing sink one last attempt instead of waiting for the cluster.
      await ctx.clock.sleep(2 ** 31 - 1, ctx.signal);
    },
  }),
});

export type Fault = { kind: "none" } | { kind: "kill-leader"; restartAfterMs: number } | { kind: "cluster-down"; downMs: number };

export interface ScenarioOptions {
  dir: string;
  records: number;
  agents?: number;
  workers?: number;
  fault: Fault;
  /** Records/s each agent publishes at (0: flat out, as the bench does). */
  ratePerAgent?: number;
  /** Start the fault once this share of the records is acked by JetStream (default 0.3). */
  faultAt?: number;
  /** Longest the whole run may take. */
  deadlineMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  records: number;
  /** Lines in the workers' outputs. */
  delivered: number;
  unique: number;
  missing: number[];
  duplicates: number;
  perWorker: number[];
  redelivered: number;
  retried: number;
  ms: number;
  recordsPerSecond: number;
  /** Highest RSS seen while the fault lasted, and the RSS when it started (bytes). */
  faultRss: { before: number; max: number } | undefined;
  leader?: string;
}

const STREAM = "LOGS";

/**
 * The plugins' first connection, longer than the 5 s default: four clients connect to three servers at
 * once, and with two test suites running on 2 cores one agent's connect timed out at 5 s (once).
 */
const CONNECT_TIMEOUT = "30s";

/** Creates the R3 stream once the cluster has a JetStream meta leader (retried until then). */
async function createStream(cluster: NatsCluster, deadlineMs: number): Promise<void> {
  await waitUntil(
    "the cluster to accept an R3 stream",
    () =>
      withClient(cluster.url, async (nc) => {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: STREAM, subjects: ["logs.>"], num_replicas: 3, duplicate_window: 120_000_000_000 });
        return true;
      }).catch(() => false),
    deadlineMs,
  );
}

export const streamLeader = (cluster: NatsCluster) => withClient(cluster.url, async (nc) => (await (await jetstreamManager(nc)).streams.info(STREAM)).cluster?.leader);

export async function runClusterScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => {});
  const agents = o.agents ?? 2;
  const workers = o.workers ?? 2;
  const deadline = Date.now() + (o.deadlineMs ?? 300_000);
  const cluster = await startNatsCluster(o.dir, 3);
  try {
    await createStream(cluster, 30_000);
    const per = Math.ceil(o.records / agents);
    const outputs = Array.from({ length: workers }, (_, w) => join(o.dir, `worker-${w}.jsonl`));
    const pipelines: Record<string, unknown> = {};
    for (let a = 0; a < agents; a++) {
      const count = Math.max(0, Math.min(per, o.records - a * per));
      pipelines[`agent${a}`] = {
        sources: [sequence({ agent: `agent${a}`, from: a * per + 1, count, rate: o.ratePerAgent ?? 0 })],
        sinks: [nats({ url: cluster.url, connectTimeout: CONNECT_TIMEOUT, stream: { name: STREAM, replicas: 3 }, subject: "logs.{service}", deadletter: join(o.dir, `dead-${a}.jsonl`), ackTimeout: "2s", statsInterval: "250ms" })],
        flushInterval: "100ms",
      };
    }
    for (let w = 0; w < workers; w++) {
      pipelines[`worker${w}`] = {
        sources: [natsSource({ url: cluster.url, connectTimeout: CONNECT_TIMEOUT, stream: STREAM, consumer: "workers", batchSize: 1000, ackWait: "10s", statsInterval: "250ms" })],
        sinks: [jsonl({ path: outputs[w]! })],
        flushInterval: "100ms",
      };
    }
    const config = validateConfig({ pipelines, hookTimeout: "60s" }, { registry: new Map() });
    if (config.isErr()) throw new Error(formatError(config.error).join("\n"));
    const app = createApp(config.value, { runtime: await detectRuntime(), clock: systemClock });
    const acked = new Map<string, number>();
    const retried = new Map<string, number>();
    const redelivered = new Map<string, number>();
    const consumed = new Map<string, number>();
    app.bus.on("nats:publisher", (e) => {
      acked.set(e.plugin, e.stats.acked);
      retried.set(e.plugin, e.stats.retried);
    });
    app.bus.on("nats:consumer", (e) => {
      redelivered.set(e.plugin, e.stats.redelivered);
      consumed.set(e.plugin, e.stats.acked);
    });
    app.bus.on("plugin:error", (e) => log(`plugin error: ${formatError(e.error).join(" ")}`));
    app.bus.on("pipeline:failed", (e) => log(`pipeline failed: ${formatError(e.error).join(" ")}`));
    app.bus.on("sink:recovered", (e) => log(`recovered: ${e.plugin} after ${e.retries} retries`));
    const sum = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
    const totalAcked = () => sum(acked);
    const started = performance.now();
    const result = await app.start();
    if (result.isErr()) throw new Error(formatError(result.error).join("\n"));
    const remaining = () => Math.max(1_000, deadline - Date.now());
    let progress: ReturnType<typeof setInterval> | undefined;
    try {

      let faultRss: ScenarioResult["faultRss"];
      let leader: string | undefined;
      if (o.fault.kind !== "none") {
        await waitUntil(`${Math.round((o.faultAt ?? 0.3) * 100)}% of the records acked`, () => totalAcked() >= o.records * (o.faultAt ?? 0.3), remaining());
        if (o.fault.kind === "kill-leader") {
          leader = await streamLeader(cluster);
          if (!leader) throw new Error("the stream has no leader");
          log(`SIGKILL stream leader ${leader} at ${totalAcked()} acked, ${Math.round(performance.now() - started)} ms in`);
          await cluster.byName(leader).kill();
          faultRss = await sampleRss(o.fault.restartAfterMs);
          await cluster.byName(leader).start();
          log(`restarted ${leader} at ${totalAcked()} acked`);
        } else {
          log(`all nodes down at ${totalAcked()} acked`);
          await Promise.all(cluster.servers.map((s) => s.kill()));
          faultRss = await sampleRss(o.fault.downMs);
          await Promise.all(cluster.servers.map((s) => s.start()));
          log(`cluster back at ${totalAcked()} acked`);
        }
      }
      progress = setInterval(() => log(`published and acked ${totalAcked()}, retried ${sum(retried)}; consumed and acked ${sum(consumed)}, redelivered ${sum(redelivered)}`), 2_000);
      // Done when every line the agents sent is in the outputs.
      // The workers' acks first (a cheap counter), then the outputs themselves (read whole: polled slowly).
      const seen = () => readOutputs(outputs);
      await waitUntil("the workers to ack as many messages as were sent", () => sum(consumed) >= o.records, remaining(), 50);
      await waitUntil("every record in the workers' outputs", () => seen().unique >= o.records, remaining(), 250);
      const ms = performance.now() - started;
      clearInterval(progress);
      await app.stop();
      const read = seen();
      const missing: number[] = [];
      for (let s = 1; s <= o.records && missing.length < 20; s++) if (!read.seqs.has(s)) missing.push(s);
      return {
        records: o.records,
        delivered: read.lines,
        unique: read.unique,
        missing,
        duplicates: read.lines - read.unique,
        perWorker: read.perFile,
        redelivered: sum(redelivered),
        retried: sum(retried),
        ms,
        recordsPerSecond: Math.round(o.records / (ms / 1000)),
        faultRss,
        leader,
      };
    } finally {
      // Also when a step fails: a running app's NATS clients would reconnect forever and keep the test process alive.
      clearInterval(progress);
      await app.stop();
    }
  } finally {
    await cluster.stop();
  }
}

/** Samples this process's RSS every 100 ms for `ms`: the fault's duration is the scenario's, not a synchronisation. */
async function sampleRss(ms: number): Promise<{ before: number; max: number }> {
  const before = process.memoryUsage().rss;
  let max = before;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    max = Math.max(max, process.memoryUsage().rss);
  }
  return { before, max };
}

function readOutputs(paths: string[]): { lines: number; unique: number; seqs: Set<number>; perFile: number[] } {
  const seqs = new Set<number>();
  let lines = 0;
  const perFile: number[] = [];
  for (const path of paths) {
    let n = 0;
    if (existsSync(path)) {
      for (const line of readFileSync(path, "utf8").split("\n")) {
        if (line.length === 0) continue;
        n++;
        // By id: generator and seq are what the message id is made of.
        seqs.add((JSON.parse(line) as { seq: number }).seq);
      }
    }
    perFile.push(n);
    lines += n;
  }
  return { lines, unique: seqs.size, seqs, perFile };
}

export function formatScenario(name: string, r: ScenarioResult): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  return [
    `${name}: ${r.records} records, ${r.unique} unique in the outputs, ${r.missing.length} missing, ${r.duplicates} duplicates removed by id (${r.perWorker.join(" + ")} lines per worker)`,
    `  ${r.redelivered} redelivered to workers, ${r.retried} publishes retried with the same id${r.leader ? `, leader killed: ${r.leader}` : ""}`,
    `  ${(r.ms / 1000).toFixed(1)} s end to end, ${r.recordsPerSecond} records/s${r.faultRss ? `; RSS during the fault ${mb(r.faultRss.before)} -> max ${mb(r.faultRss.max)}` : ""}`,
  ].join("\n");
}
