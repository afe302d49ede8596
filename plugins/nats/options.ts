/**
 * Options of the NATS plugins: the connection (servers, credentials, TLS) shared by the
 * sink and the source, the stream the sink creates when missing, and each plugin's own.
 */
import { z } from "zod";
import { duration, filePath, nonNegativeInt, positiveInt } from "../../core/mod.ts";

const servers = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'expected a NATS URL such as "nats://127.0.0.1:4222", or an array of them' })
  .describe("NATS server URL(s); a comma-separated string works too (the NATS_URL convention)");

export const connectionSchema = z.strictObject({
  url: servers.default("nats://127.0.0.1:4222"),
  /** Token authentication. */
  token: z.string().min(1).optional().describe("Token authentication (redacted in /api/config)"),
  user: z.string().min(1).optional().describe("User name for user/password authentication"),
  password: z.string().optional().describe("Password for user/password authentication (redacted in /api/config)"),
  credsFile: filePath().optional().describe("A .creds file (JWT + NKey seed), as `nsc` writes it"),
  tls: z
    .strictObject({
      caFile: filePath().optional().describe("CA certificate(s) to trust, PEM"),
      certFile: filePath().optional().describe("Client certificate, PEM (mutual TLS)"),
      keyFile: filePath().optional().describe("Client key, PEM (mutual TLS)"),
    })
    .optional()
    .describe("Use TLS; each file is optional"),
  connectTimeout: duration().default(5_000).describe("How long the first connection, and each request that sets up the stream or consumer, may take before the plugin fails to start"),
});

const STREAM_NAME = /^[^\s.*>/\\]+$/;
export const streamName = z.string({ error: "expected a stream name" }).regex(STREAM_NAME, "a stream name has no spaces, dots, *, > or slashes");

export const streamSchema = z.strictObject({
  name: streamName.default("LOGS").describe("JetStream stream the records are published to"),
  create: z.boolean().default(true).describe("Create the stream when it does not exist (false: it must exist)"),
  subjects: z.array(z.string().min(1)).min(1).default(["logs.>"]).describe("Subjects of the stream when it is created"),
  replicas: z.number().int().min(1).max(5, "JetStream allows at most 5 replicas").default(1).describe("Copies of each message in a cluster (3 survives the loss of a node)"),
  retention: z.enum(["limits", "interest", "workqueue"]).default("limits").describe("limits: keep until a limit; interest: until every consumer acked; workqueue: until one consumer acked"),
  storage: z.enum(["file", "memory"]).default("file"),
  maxAge: duration({ allowZero: true }).default(0).describe("Oldest message kept (0: no limit)"),
  maxBytes: z.number().int().min(-1).default(-1).describe("Bytes kept (-1: no limit)"),
  maxMsgs: z.number().int().min(-1).default(-1).describe("Messages kept (-1: no limit)"),
  duplicateWindow: duration().default(120_000).describe("How long JetStream remembers message ids to drop re-sends"),
});

export const natsSinkSchema = connectionSchema.extend({
  stream: streamSchema.prefault({}),
  subject: z
    .string()
    .min(1)
    .default("logs.{service}")
    .describe("Subject per record: {service}, {level}, {tag} (first tag) and {pipeline} are replaced; unsafe characters become _"),
  maxInFlight: positiveInt().default(512).describe("Publishes waiting for their ack at once"),
  maxPending: positiveInt().default(20_000).describe("Records the sink holds until acked; beyond, writes wait (the pipeline backs up)"),
  ackTimeout: duration().default(5_000).describe("How long one publish waits for its ack before it is sent again with the same id"),
  writeWait: duration().default(3_000).describe("Longest a write or flush waits before reporting that NATS does not ack (keep below hookTimeout)"),
  deadletter: filePath().default("collected_logs/nats-deadletter.jsonl").describe("Where records larger than the server's max payload go"),
  statsInterval: duration().default(1_000).describe("How often the sink emits its nats:publisher and plugin:metrics events"),
});

export const natsSourceSchema = connectionSchema.extend({
  stream: streamName.default("LOGS").describe("The stream to consume"),
  consumer: z
    .string()
    .regex(STREAM_NAME, "a consumer name has no spaces, dots, *, > or slashes")
    .default("logsim")
    .describe("Durable consumer name: workers with the same name share the records"),
  filterSubject: z.string().min(1).optional().describe("Only the stream's messages on this subject (wildcards allowed)"),
  deliver: z.enum(["all", "new"]).default("all").describe("Where a new consumer starts: the stream's first message or the next one"),
  batchSize: positiveInt().default(1_000).describe("Most messages per batch handed to the pipeline"),
  maxAckPending: positiveInt().default(20_000).describe("Messages delivered to all workers of the consumer and not yet acked"),
  ackWait: duration().default(30_000).describe("After this long unacked, a message is delivered again (to any worker)"),
  maxDeliver: z.number().int().min(-1).default(-1).describe("Deliveries of one message at most (-1: no limit)"),
  dedupe: nonNegativeInt().default(100_000).describe("Message ids remembered to drop duplicates (0: keep duplicates)"),
  statsInterval: duration().default(1_000).describe("How often the source emits its nats:consumer and plugin:metrics events"),
});

export type ConnectionOptions = z.output<typeof connectionSchema>;
export type StreamOptions = z.output<typeof streamSchema>;
export type NatsSinkOptions = z.output<typeof natsSinkSchema>;
export type NatsSourceOptions = z.output<typeof natsSourceSchema>;
