import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { LogRecord } from "../../core/mod.ts";
import { systemClock } from "../../core/host.ts";
import { checkAcksAfterFlush, checkSinkContract, checkSourceContract, createTestContext, instantiate, runSink, runSource } from "../../testing/mod.ts";
import { nats, natsSource } from "./mod.ts";
import { sequenced, streamMessages, withClient } from "./_test-kit.ts";
import { natsServerMissing, startNatsServer, type NatsServer } from "./_test-servers.ts";

const missing = natsServerMissing();
const real = { clock: systemClock };

describe("nats sink and source on a real nats-server", { skip: missing }, () => {
  let dir: string;
  let server: NatsServer;
  let n = 0;
  /** A fresh stream name and subject prefix per test: tests share the server. */
  const fresh = () => {
    n++;
    return { stream: `T${n}`, prefix: `t${n}`, deadletter: join(dir, `dead-${n}.jsonl`) };
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "logsim-nats-"));
    server = await startNatsServer(dir);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sinkOptions = (t: ReturnType<typeof fresh>, extra: Record<string, unknown> = {}) =>
    ({ url: server.url, stream: { name: t.stream, subjects: [`${t.prefix}.>`] }, subject: `${t.prefix}.{service}`, deadletter: t.deadletter, ...extra }) as Parameters<typeof nats>[0];

  test("publishes every record once; a re-send with the same ids is dropped by the duplicate window", async () => {
    const t = fresh();
    const records = sequenced(1, 500);
    const first = await runSink(nats(sinkOptions(t)), [records.slice(0, 250), records.slice(250)], real);
    assert.equal(await streamMessages(server.url, t.stream), 500);
    const stats = first.test.eventsNamed("nats:publisher").at(-1)!.stats;
    assert.equal(stats.acked, 500);
    assert.equal(stats.pending, 0);
    // The same sink instance re-sending (as a pipeline retry does) keeps the ids.
    const again = await runSink(nats(sinkOptions(t)), [records.slice(0, 10)], real);
    assert.equal(await streamMessages(server.url, t.stream), 510, "another run is another generator run: new ids");
    assert.equal(again.test.eventsNamed("nats:publisher").at(-1)!.stats.duplicates, 0);
  });

  test("lines from files get ids from source, file and offset: re-reading them after a crash adds nothing", async () => {
    const t = fresh();
    const lines: LogRecord[] = Array.from({ length: 100 }, (_, i) => ({ time: i, level: "INFO", message: `line ${i}`, raw: `line ${i}`, origin: { source: "agent.sources[0]", file: "/var/log/app.log", offset: i * 7 } }));
    await runSink(nats(sinkOptions(t)), [lines], real);
    const replay = await runSink(nats(sinkOptions(t)), [lines.slice(40)], real);
    assert.equal(await streamMessages(server.url, t.stream), 100);
    assert.equal(replay.test.eventsNamed("nats:publisher").at(-1)!.stats.duplicates, 60);
  });

  /** Messages in the stream, asked on one open connection: quick enough to catch a flush that does not wait for the acks. */
  const counter = async (stream: string) => {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    return { count: () => jsm.streams.info(stream).then((i) => i.state.messages, () => 0), close: () => nc.close() };
  };

  test("keeps the sink contract: flush makes every record visible in the stream", async () => {
    const t = fresh();
    const stream = await counter(t.stream);
    try {
      await checkSinkContract(nats(sinkOptions(t)), { ...real, records: sequenced(1, 5000), readBack: stream.count });
    } finally {
      await stream.close();
    }
  });

  test("a batch is acknowledged only after JetStream acked all its records", async () => {
    const t = fresh();
    const stream = await counter(t.stream);
    try {
      await checkAcksAfterFlush(nats(sinkOptions(t)), { readBack: stream.count, batches: 5, batchSize: 2000 });
    } finally {
      await stream.close();
    }
  });

  test("subjects follow the template, one per service", async () => {
    const t = fresh();
    await runSink(nats(sinkOptions(t)), [[...sequenced(1, 3, "g", "api"), ...sequenced(4, 2, "g", "db.primary")]], real);
    const subjects = await withClient(server.url, async (nc) => {
      const info = await (await jetstreamManager(nc)).streams.info(t.stream, { subjects_filter: ">" });
      return info.state.subjects;
    });
    assert.deepEqual(subjects, { [`${t.prefix}.api`]: 3, [`${t.prefix}.db_primary`]: 2 });
  });

  test("an oversized record goes to the dead-letter file and the others are published", async () => {
    const t = fresh();
    const huge: LogRecord = { time: 0, level: "ERROR", message: "x".repeat(2 * 1024 * 1024), service: "api", fields: { generator: "g", seq: 99 } };
    const { test: run } = await runSink(nats(sinkOptions(t)), [[...sequenced(1, 5), huge, ...sequenced(6, 5)]], real);
    assert.equal(await streamMessages(server.url, t.stream), 10);
    const dead = readFileSync(t.deadletter, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(dead.length, 1);
    assert.match(dead[0].reason, /over the server's max payload of 1048576/);
    assert.equal(dead[0].record.fields.seq, 99);
    assert.equal(run.eventsNamed("nats:publisher").at(-1)!.stats.deadLettered, 1);
  });

  test("the source yields what the sink published, acks after the batch ack, counts redeliveries", async () => {
    const t = fresh();
    await runSink(nats(sinkOptions(t)), [sequenced(1, 300)], real);
    const source = (consumer: string) => natsSource({ url: server.url, stream: t.stream, consumer, batchSize: 100 });
    // Taken and never acknowledged: handed back at close, delivered again.
    const unacked = await runSource(source("w"), { ...real, take: 100, ack: false });
    assert.equal(unacked.entries.length >= 100, true);
    const run = await runSource(source("w"), { ...real, take: 300 });
    const seqs = run.entries.map((e) => (e as LogRecord).fields!.seq as number);
    assert.deepEqual(new Set(seqs).size, 300);
    const stats = run.test.eventsNamed("nats:consumer").at(-1)!.stats;
    assert.ok(stats.redelivered >= 100, `redelivered ${stats.redelivered}`);
    const pending = await withClient(server.url, async (nc) => (await (await jetstreamManager(nc)).consumers.info(t.stream, "w")).num_ack_pending);
    assert.equal(pending, 0, "every message taken was acked");
  });

  test("two workers with the same consumer name share the records", async () => {
    const t = fresh();
    await runSink(nats(sinkOptions(t)), [sequenced(1, 2000)], real);
    const spec = () => natsSource({ url: server.url, stream: t.stream, consumer: "shared", batchSize: 50 });
    const seen: number[][] = [[], []];
    const contexts = [await createTestContext(real), await createTestContext(real)];
    const total = () => seen[0]!.length + seen[1]!.length;
    // Each worker stops when both together have everything: the other one may be waiting for a batch that never comes.
    const runs = [0, 1].map((w) =>
      runSource(spec(), {
        context: contexts[w],
        until: (entries) => {
          seen[w] = entries.map((e) => (e as LogRecord).fields!.seq as number);
          if (total() >= 2000) for (const c of contexts) c.abort();
          return total() >= 2000;
        },
      }),
    );
    await Promise.all(runs);
    assert.equal(new Set([...seen[0]!, ...seen[1]!]).size, 2000);
    assert.ok(seen[0]!.length > 0 && seen[1]!.length > 0, `both workers got records: ${seen[0]!.length} + ${seen[1]!.length}`);
  });

  test("keeps the source contract, checkpoints included (unacked batches come again after a restart)", async () => {
    const t = fresh();
    await runSink(nats(sinkOptions(t)), [sequenced(1, 1000)], real);
    // One pull request takes the whole stream: messages sent back go to the end of JetStream's redelivery
    // queue, so "the unacked batch comes first again" holds only when nothing else was sent back before it.
    await checkSourceContract(natsSource({ url: server.url, stream: t.stream, consumer: "contract", batchSize: 5000 }), { ...real, checkpointed: true });
  });

  test("the source de-duplicates by message id", async () => {
    const t = fresh();
    await withClient(server.url, async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: t.stream, subjects: [`${t.prefix}.>`], duplicate_window: 100_000_000 }); // 100 ms, the least JetStream allows
      const { jetstream } = await import("@nats-io/jetstream");
      const js = jetstream(nc);
      for (const seq of [1, 2, 3]) await js.publish(`${t.prefix}.a`, JSON.stringify(sequenced(seq, 1)[0]), { msgID: `id-${seq}` });
      // A re-send JetStream stores: once its duplicate window has passed (bounded loop: 100 tries).
      for (let i = 0; i < 100 && (await js.publish(`${t.prefix}.a`, JSON.stringify(sequenced(2, 1)[0]), { msgID: "id-2" })).duplicate; i++) await new Promise((r) => setTimeout(r, 20));
      await js.publish(`${t.prefix}.a`, JSON.stringify(sequenced(4, 1)[0]), { msgID: "id-4" });
    });
    assert.equal(await streamMessages(server.url, t.stream), 5);
    // Delivered in stream order: once seq 4 is in, the re-send before it has been seen.
    const run = await runSource(natsSource({ url: server.url, stream: t.stream, consumer: "d" }), { ...real, until: (e) => e.some((x) => (x as LogRecord).fields!.seq === 4) });
    assert.equal(run.test.eventsNamed("nats:consumer").at(-1)!.stats.duplicates, 1);
    assert.deepEqual(run.entries.map((e) => (e as LogRecord).fields!.seq), [1, 2, 3, 4]);
  });
});
