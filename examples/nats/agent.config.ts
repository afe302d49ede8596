/**
 * A logsim agent: one per host. Follows log files, parses them, publishes the records to a
 * JetStream stream. A record's message id comes from its file and byte offset, so lines read
 * again after a crash are dropped by JetStream's duplicate window; the saved positions advance
 * only once JetStream acked the lines.
 *
 *   NATS_URL    server(s), comma-separated (default nats://127.0.0.1:4222)
 *   INPUT       glob of the files to follow (default logs/*.log)
 *   NATS_TOKEN, NATS_USER + NATS_PASSWORD, NATS_CREDS   credentials, when the servers want them
 *   NATS_REPLICAS  copies of each message when the stream is created (default 1; 3 on a cluster)
 *   WEB_PORT    web interface on 127.0.0.1 (default 8080; 0 picks a free port)
 */
import { defineConfig } from "logsim";
import { auto, nats, tail, web } from "logsim/plugins";

export default defineConfig(({ env }) => ({
  pipelines: {
    agent: {
      sources: [tail({ include: env("INPUT") ?? "logs/*.log", fromBeginning: true })],
      parsers: [auto()],
      sinks: [
        nats({
          url: env("NATS_URL") ?? "nats://127.0.0.1:4222",
          token: env("NATS_TOKEN"),
          user: env("NATS_USER"),
          password: env("NATS_PASSWORD"),
          credsFile: env("NATS_CREDS"),
          stream: { name: "LOGS", subjects: ["logs.>"], replicas: Number(env("NATS_REPLICAS") ?? 1), maxAge: "24h" },
          subject: "logs.{service}",
          deadletter: "collected_logs/nats-deadletter.jsonl",
        }),
      ],
    },
  },
  services: [web({ port: Number(env("WEB_PORT") ?? 8080) })],
}));
