/**
 * The default logsim config: the whole system on one machine, no external service.
 * `bun run logsim` runs it; `logsim validate` checks it; `logsim plugins` lists every option.
 *
 * Environment variables, as in the original logger service:
 *   LOG_LEVEL      level of the heartbeat records (default INFO)
 *   LOG_FREQUENCY  seconds between heartbeats, fractions allowed (default 5)
 *   LOG_FORMAT     line template, Python logging tokens (default "[%(asctime)s] %(levelname)s: %(message)s")
 *   LOG_FILE       the rotating log file (default logs/app.log; 1 MiB, 3 backups), shared by
 *                  the heartbeat and the generated traffic
 *   WEB_PORT       port of the web interface on 127.0.0.1 (default 8080; 0 picks a free one)
 */
import { defineConfig, type ConfigContext, type LevelInput } from "logsim";
import { auto, consoleSink, generator, heartbeat, jsonl, redact, rotatingFile, tag, tail, web } from "logsim/plugins";

/** A number from the environment (or `fallback` when unset); a bad one stops loading with a line that names the variable. */
function numberFrom(env: ConfigContext["env"], name: string, fallback: number, valid: (n: number) => boolean, expected: string): number {
  const raw = env(name)?.trim();
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!valid(n)) throw new Error(`${name}=${JSON.stringify(env(name))}: expected ${expected}`);
  return n;
}

export default defineConfig(({ env }) => {
  const format = env("LOG_FORMAT") ?? "[%(asctime)s] %(levelname)s: %(message)s";
  return {
    pipelines: {
      heartbeat: {
        sources: [
          heartbeat({ interval: numberFrom(env, "LOG_FREQUENCY", 5, (n) => n > 0, "seconds between heartbeats, a number > 0 such as 5 or 0.5"), level: (env("LOG_LEVEL") ?? "INFO") as LevelInput }),
          // Realistic shop traffic (sessions, API requests, jobs, payment incidents) at 10 events/s,
          // with a 5 s burst at 5x now and then (a 1 in 120 chance each second).
          generator({ rate: 10, burst: { multiplier: 5, duration: "5s", probability: 1 / 120 } }),
        ],
        sinks: [consoleSink({ format }), rotatingFile({ path: env("LOG_FILE") ?? "logs/app.log", maxBytes: 1_048_576, backups: 3, format })],
      },
      // The collector: follows logs/*.log and its rotations (app.log.1 ...) into collected_logs/collected.jsonl,
      // parsing each line's format, tagging auth/payment/api, redacting secrets; unparsable lines go to collected_logs/collect.deadletter.jsonl.
      // From the beginning: app.log is written by this same process, so its first lines come before the first scan;
      // saved positions (.logsim/state) make a restart resume instead of reading again.
      collect: {
        sources: [tail({ include: ["logs/*.log", "logs/*.log.[0-9]*"], fromBeginning: true })],
        parsers: [auto()],
        transforms: [tag({ builtin: true }), redact()], // Secrets and personal data (session tokens, emails, cards...) never reach the output.
        sinks: [jsonl({ path: "collected_logs/collected.jsonl" })],
      },
    },
    // The web interface: live tail, counters and metrics at http://127.0.0.1:8080 (WEB_PORT to change, 0 for any free port).
    services: [web({ port: numberFrom(env, "WEB_PORT", 8080, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port number from 0 to 65535 (0 picks a free one)") })],
  };
});
