/**
 * The nats sink's instance (loaded by sink.ts at its first create): publishes records to a JetStream stream. `write` hands records to the
 * publisher (waiting, bounded, while too many are unacked: the pipeline backs up); `flush`
 * resolves only once every record written is acked by JetStream or dead-lettered, so the
 * pipeline acknowledges a batch (and a tail source saves its position) only after that.
 */
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LogRecord, PluginContext, Sink } from "../../core/mod.ts";
import { openConnection, serverList } from "./connection.ts";
import { DeadLetters } from "./dead-letters.ts";
import { explainNatsError } from "./errors.ts";
import type { NatsPublisherStats } from "./events.ts";
import { publisherMetrics } from "./metrics.ts";
import { createMessageIds } from "./message-id.ts";
import type { NatsSinkOptions } from "./options.ts";
import { Publisher, type Outgoing } from "./publisher.ts";
import { ensureStream } from "./stream.ts";
import { compileSubject } from "./subject.ts";

/** Bytes of a message's headers besides the id (NATS/1.0 line, Nats-Msg-Id key, separators). */
const HEADER_BYTES = 64;

export async function createNatsSink(o: NatsSinkOptions, ctx: PluginContext): Promise<Sink> {
  const url = serverList(o.url).join(",");
  const pipeline = ctx.pipeline ?? "";
  const subjectOf = compileSubject(o.subject, pipeline);
  const nc = await openConnection(o, ctx);
  try {
    await ensureStream(nc, o.stream, subjectOf.probe, url, o.connectTimeout);
  } catch (error) {
    await nc.close();
    throw error;
  }
  const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
  // The run: start time plus a random part, so two agents started in the same millisecond differ.
  const ids = createMessageIds(pipeline, `${ctx.clock.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  const dead = new DeadLetters(ctx.runtime.fs, o.deadletter);
  const encoder = new TextEncoder();
  const deadLetter = (text: string, subject: string, id: string | undefined, bytes: number, reason: string) =>
    dead.add({ time: ctx.clock.now(), pipeline, plugin: ctx.id, reason, subject, id, bytes, record: text });
  const publisher = new Publisher(jetstream(nc, { timeout: o.ackTimeout }), {
    maxInFlight: o.maxInFlight,
    ackTimeout: o.ackTimeout,
    clock: ctx.clock,
    onRejected: (m, error) => deadLetter(new TextDecoder().decode(m.data), m.subject, m.id, m.data.length, explainNatsError(error, { url, subject: m.subject })),
  });
  const stats = (): NatsPublisherStats => ({ ...publisher.stats, deadLettered: dead.count, inFlight: publisher.inFlight, pending: publisher.pending, connected: !nc.isClosed() });
  const emit = (final: boolean) => {
    const now = stats();
    ctx.bus.emit("nats:publisher", { pipeline, plugin: ctx.id, stats: now, final });
    ctx.bus.emit("plugin:metrics", { pipeline, plugin: ctx.id, metrics: publisherMetrics(now) });
  };
  const ticker = new AbortController();
  emit(false);
  void (async () => {
    while (await ctx.clock.sleep(o.statsInterval, ticker.signal)) emit(false);
  })();

  const notAcking = () => {
    const last = publisher.lastError;
    // While running, "no responders" means no stream leader answers: an election, or the cluster is away.
    const why = last === undefined ? "" : /JetStreamNotEnabled|NoResponders/.test((last as Error).constructor?.name ?? "") ? ": no server answers for the stream (leader election, or the cluster is down)" : `: ${explainNatsError(last, { stream: o.stream.name })}`;
    return `${publisher.pending} records wait for a JetStream ack from ${url}${why}`;
  };

  const encode = (records: readonly LogRecord[]): Outgoing[] => {
    const out: Outgoing[] = [];
    for (const record of records) {
      const subject = subjectOf(record);
      let text: string;
      try {
        text = JSON.stringify(record);
      } catch (error) {
        deadLetter(JSON.stringify(String(record.message)), subject, undefined, 0, `the record cannot be encoded as JSON: ${(error as Error).message}`);
        continue;
      }
      const data = encoder.encode(text);
      const id = ids.of(record);
      if (data.length + id.length + HEADER_BYTES > maxPayload) {
        deadLetter(text, subject, id, data.length, `the record is ${data.length} bytes, over the server's max payload of ${maxPayload}: raise max_payload in nats-server or shorten the record`);
        continue;
      }
      out.push({ subject, data, id });
    }
    return out;
  };

  let closed = false;
  let writes = 0;
  const flush = async () => {
    if (!(await publisher.waitFor(() => publisher.pending === 0, o.writeWait))) throw new Error(notAcking());
    dead.flush();
  };
  return {
    async write(records) {
      if (closed) throw new Error("the nats sink is closed");
      if (records.length === 0) return;
      // All or nothing: a throw means "not taken" and the pipeline sends the batch again.
      const call = ++writes;
      const room = () => publisher.pending === 0 || publisher.pending + records.length <= o.maxPending;
      const ready = await publisher.waitFor(() => room() || call !== writes || closed, o.writeWait);
      if (call !== writes) throw new Error("superseded by a later write of the same batch");
      if (closed) throw new Error("the nats sink is closed");
      if (!ready || !room()) throw new Error(notAcking());
      publisher.enqueue(encode(records));
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        ticker.abort();
        publisher.close();
        emit(true);
        dead.close();
        await closeQuietly(nc);
      }
    },
  };
}

async function closeQuietly(nc: NatsConnection): Promise<void> {
  try {
    await nc.close();
  } catch {
    // Already closed: nothing to release.
  }
}
