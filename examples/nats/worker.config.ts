/**
 * A logsim worker: run as many as the load needs. Every worker with the same consumer name takes
 * its share of the stream; a record is acked only after this worker's sinks wrote it durably, so a
 * worker that dies loses nothing: JetStream delivers its unacked records again, to any worker.
 *
 *   NATS_URL    server(s), comma-separated (default nats://127.0.0.1:4222)
 *   OUTPUT      JSONL file the records are appended to (default collected_logs/worker.jsonl)
 *   NATS_TOKEN, NATS_USER + NATS_PASSWORD, NATS_CREDS   credentials, when the servers want them
 *   WEB_PORT    web interface on 127.0.0.1 (default 8081; 0 picks a free port)
 */
import { defineConfig } from "logsim";
import { jsonl, natsSource, tag, web } from "logsim/plugins";

export default defineConfig(({ env }) => ({
  pipelines: {
    worker: {
      sources: [
        natsSource({
          url: env("NATS_URL") ?? "nats://127.0.0.1:4222",
          token: env("NATS_TOKEN"),
          user: env("NATS_USER"),
          password: env("NATS_PASSWORD"),
          credsFile: env("NATS_CREDS"),
          stream: "LOGS",
          consumer: "workers",
        }),
      ],
      transforms: [tag({ builtin: true })],
      sinks: [jsonl({ path: env("OUTPUT") ?? "collected_logs/worker.jsonl" })],
    },
  },
  services: [web({ port: Number(env("WEB_PORT") ?? 8081) })],
}));
