/**
 * The nats source's instance (loaded by source.ts at its first create): a durable pull consumer. Workers that use the same consumer name share the
 * stream's records. Each batch's messages are acked when the pipeline acknowledges the batch,
 * i.e. after every sink of the worker flushed it; a worker that dies leaves its messages unacked,
 * and JetStream delivers them again (to any worker) after `ackWait`.
 */
import { jetstream, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { Batch, Entry, PluginContext, Source } from "../../core/mod.ts";
import { decodeEntry } from "./codec.ts";
import { openConnection, serverList } from "./connection.ts";
import { RecentIds } from "./dedupe.ts";
import type { NatsConsumerStats } from "./events.ts";
import { consumerMetrics } from "./metrics.ts";
import type { NatsSourceOptions } from "./options.ts";
import { ensureConsumer } from "./stream.ts";

/** How long one pull request waits for messages; also how long a stop may wait for the messages of the last one. */
const FETCH_EXPIRES_MS = 1_000;

export async function createNatsSource(o: NatsSourceOptions, ctx: PluginContext): Promise<Source> {
  const url = serverList(o.url).join(",");
  const pipeline = ctx.pipeline ?? "";
  const nc = await openConnection(o, ctx);
  try {
    await ensureConsumer(nc, o, url);
  } catch (error) {
    await nc.close();
    throw error;
  }
  const consumer = await jetstream(nc, { timeout: o.connectTimeout }).consumers.get(o.stream, o.consumer);
  const stats: NatsConsumerStats = { delivered: 0, redelivered: 0, duplicates: 0, acked: 0, inFlight: 0, lag: 0, connected: true };
  const emit = (final: boolean) => {
    const now = { ...stats, connected: !nc.isClosed() };
    ctx.bus.emit("nats:consumer", { pipeline, plugin: ctx.id, stats: now, final });
    ctx.bus.emit("plugin:metrics", { pipeline, plugin: ctx.id, metrics: consumerMetrics(now) });
  };
  const recent = new RecentIds(o.dedupe);
  /** Batches handed to the pipeline and not acknowledged: sent back (nak) at close, for another worker to take at once. */
  const unacked = new Set<JsMsg[]>();
  /** Messages delivered to this worker and not handed over when it stopped: sent back at close. */
  const giveBack: JsMsg[] = [];
  const ticker = new AbortController();
  emit(false);
  void (async () => {
    while (await ctx.clock.sleep(o.statsInterval, ticker.signal)) emit(false);
  })();

  const batchOf = (messages: JsMsg[], entries: Entry[]): Batch => {
    unacked.add(messages);
    stats.inFlight += messages.length;
    return {
      entries,
      ack: () => {
        if (!unacked.delete(messages)) return;
        for (const m of messages) m.ack();
        stats.acked += messages.length;
        stats.inFlight -= messages.length;
      },
    };
  };

  const backOff = async (error: unknown, attempt: number) => {
    ctx.counters.errors++;
    if (attempt === 1) ctx.log.warn(`fetching from consumer ${o.consumer} of stream ${o.stream} failed (${(error as Error).message}); retrying`);
    await ctx.clock.sleep(Math.min(100 * 2 ** attempt, 2_000), ctx.signal);
  };

  let closed = false;
  return {
    async *batches() {
      let failures = 0;
      while (!ctx.signal.aborted) {
        // One pull request per batch: the server sends at most batchSize messages for it, and every one
        // of them is either handed to the pipeline or sent back (nak), so none waits out ackWait in a buffer.
        let fetched: ConsumerMessages;
        try {
          fetched = await consumer.fetch({ max_messages: o.batchSize, expires: FETCH_EXPIRES_MS });
        } catch (error) {
          await backOff(error, ++failures);
          continue;
        }
        const pending = fetched[Symbol.asyncIterator]();
        let taken: JsMsg[] = [];
        let entries: Entry[] = [];
        try {
          for (let next = await pending.next(); !next.done; next = await pending.next()) {
            failures = 0;
            const m = next.value;
            stats.delivered++;
            if (m.info.redelivered) stats.redelivered++;
            stats.lag = m.info.pending;
            taken.push(m);
            const id = m.headers?.get("Nats-Msg-Id");
            if (id && recent.seen(id)) stats.duplicates++;
            else entries.push(decodeEntry(m.data, m.subject, ctx.id));
            // Handed over as soon as nothing more has arrived: low latency when idle, whole batches under load.
            if (fetched.getPending() === 0 && !ctx.signal.aborted) {
              const batch = batchOf(taken, entries);
              taken = [];
              entries = [];
              yield batch;
            }
          }
        } catch (error) {
          if (!ctx.signal.aborted) await backOff(error, ++failures);
        } finally {
          // Stopped mid-request: what is taken and what is still on its way go back now, for another worker.
          giveBack.push(...taken);
          taken = [];
          if (ctx.signal.aborted) {
            try {
              for (let next = await pending.next(); !next.done; next = await pending.next()) giveBack.push(next.value);
            } catch {
              // The request ended in an error: nothing more comes for it.
            }
          }
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      ticker.abort();
      for (const messages of unacked) giveBack.push(...messages);
      unacked.clear();
      stats.inFlight = 0;
      // In stream order: JetStream delivers what is sent back in the order it came back.
      for (const m of giveBack.sort((a, b) => a.seq - b.seq)) m.nak();
      emit(true);
      try {
        await nc.flush(); // The acks and naks are on their way before the connection goes.
      } finally {
        await nc.close();
      }
    },
  };
}
