/**
 * Stream setup: the sink makes sure its stream exists and covers its subjects; the source, that its stream and consumer exist.
 * Each JetStream request here may take `timeoutMs` (the plugin's connectTimeout), not the client's 5 s: a busy cluster
 * takes longer than that to create a replicated consumer (its Raft group elects a leader first).
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/transport-node";
import { explainNatsError, explainSetupError, isTimeout } from "./errors.ts";
import type { NatsSourceOptions, StreamOptions } from "./options.ts";

async function manager(nc: NatsConnection, url: string, timeoutMs: number): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc, { timeout: timeoutMs });
  } catch (error) {
    throw new Error(explainSetupError(error, { url }, timeoutMs));
  }
}

export function streamConfig(o: StreamOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: o.name,
    subjects: o.subjects,
    num_replicas: o.replicas,
    retention: { limits: RetentionPolicy.Limits, interest: RetentionPolicy.Interest, workqueue: RetentionPolicy.Workqueue }[o.retention],
    storage: o.storage === "memory" ? StorageType.Memory : StorageType.File,
    max_age: nanos(o.maxAge),
    max_bytes: o.maxBytes,
    max_msgs: o.maxMsgs,
    duplicate_window: nanos(o.duplicateWindow),
  };
}

/**
 * Creates the stream when missing (if allowed), then checks that `probeSubject` (the sink's subject
 * with every placeholder filled) lands in it: a publish to a subject no stream covers gets no ack ever.
 */
export async function ensureStream(nc: NatsConnection, o: StreamOptions, probeSubject: string, url: string, timeoutMs: number): Promise<void> {
  const jsm = await manager(nc, url, timeoutMs);
  try {
    await jsm.streams.info(o.name);
  } catch (error) {
    if ((error as Error).constructor?.name !== "StreamNotFoundError" || !o.create) throw new Error(explainSetupError(error, { url, stream: o.name, subject: probeSubject }, timeoutMs));
    try {
      await jsm.streams.add(streamConfig(o));
    } catch (added) {
      if (isTimeout(added)) throw new Error(explainSetupError(added, { url, stream: o.name }, timeoutMs));
      throw new Error(`cannot create stream ${o.name}: ${(added as Error).message}: check the stream options (a subject another stream holds, more replicas than servers)`);
    }
  }
  let covering: string;
  try {
    covering = await jsm.streams.find(probeSubject);
  } catch (error) {
    throw new Error(explainSetupError(error, { url, stream: o.name, subject: probeSubject }, timeoutMs));
  }
  if (covering !== o.name) throw new Error(`subject ${probeSubject} belongs to stream ${covering}, not ${o.name}: change the subject or stream.name`);
}

/** Checks the stream exists and creates (or updates) the durable pull consumer the workers share. */
export async function ensureConsumer(nc: NatsConnection, o: NatsSourceOptions, url: string): Promise<void> {
  const jsm = await manager(nc, url, o.connectTimeout);
  try {
    await jsm.streams.info(o.stream);
  } catch (error) {
    if (isTimeout(error)) throw new Error(explainSetupError(error, { url, stream: o.stream }, o.connectTimeout));
    const names = await jsm.streams.names().next().catch(() => [] as string[]);
    const known = names.length ? ` (streams here: ${names.slice(0, 10).join(", ")})` : "";
    throw new Error(`${explainNatsError(error, { url, stream: o.stream })}${known}`);
  }
  const config = {
    durable_name: o.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(o.ackWait),
    max_ack_pending: o.maxAckPending,
    max_deliver: o.maxDeliver,
    deliver_policy: o.deliver === "new" ? DeliverPolicy.New : DeliverPolicy.All,
    ...(o.filterSubject ? { filter_subject: o.filterSubject } : {}),
  };
  try {
    const existing = await jsm.consumers.info(o.stream, o.consumer).catch(() => undefined);
    if (existing) await jsm.consumers.update(o.stream, o.consumer, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending, max_deliver: config.max_deliver, ...(o.filterSubject ? { filter_subject: o.filterSubject } : {}) });
    else await jsm.consumers.add(o.stream, config);
  } catch (error) {
    if (isTimeout(error)) throw new Error(`cannot set up consumer ${o.consumer} on stream ${o.stream}: ${explainSetupError(error, { url }, o.connectTimeout)}`);
    throw new Error(`cannot set up consumer ${o.consumer} on stream ${o.stream}: ${(error as Error).message}`);
  }
}
