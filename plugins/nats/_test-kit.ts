/** Helpers the NATS tests share: a client on the test server, stream counts, sequenced records. */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { LogRecord } from "../../core/mod.ts";

export async function withClient<T>(url: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: url.split(","), timeout: 5_000 });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/** Messages the stream holds (0 when it does not exist). */
export const streamMessages = (url: string, stream: string) =>
  withClient(url, async (nc) => {
    const jsm = await jetstreamManager(nc);
    return jsm.streams.info(stream).then((info) => info.state.messages, () => 0);
  });

/** Records as a generator makes them: `fields.generator` and `fields.seq` give each its message id. */
export const sequenced = (from: number, count: number, generator = "gen", service = "api"): LogRecord[] =>
  Array.from({ length: count }, (_, i) => ({ time: Date.UTC(2026, 0, 1) + from + i, level: "INFO", message: `record ${from + i}`, service, fields: { generator, seq: from + i }, tags: [] }));
