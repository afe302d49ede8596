/** Options of the web plugin. Binding beyond loopback without a token is refused here, at config load. */
import { z } from "zod";
import { duration, nonNegativeInt, positiveInt } from "../../core/mod.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Whether `host` only accepts connections from this machine. */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export const webSchema = z
  .strictObject({
    host: z.string().min(1).default("127.0.0.1").describe("Interface to listen on; anything but loopback requires a token"),
    port: z
      .number({ error: "expected a port number (0-65535)" })
      .int({ error: "expected a port number (0-65535)" })
      .min(0, { error: "expected a port number (0-65535)" })
      .max(65535, { error: "expected a port number (0-65535)" })
      .default(8080)
      .describe("TCP port; 0 picks a free port and logs the URL"),
    token: z.string().min(16, { error: "expected a token of at least 16 characters" }).optional().describe("When set, every route but /healthz requires it (Bearer header, ?token= once, then a cookie)"),
    title: z.string().max(120).default("logsim").describe("Title shown on the dashboard"),
    buffer: positiveInt().max(100_000).default(10_000).describe("Recent records kept for /api/logs and the live tail"),
    maxLimit: positiveInt().max(10_000).default(1000).describe("Largest `limit` /api/logs accepts"),
    maxStreams: positiveInt().max(1000).default(16).describe("Concurrent /api/stream clients"),
    streamRate: positiveInt().max(10_000).default(200).describe("Most records a live stream sends per second; beyond that it samples and says so"),
    idleTimeout: duration().prefault("60s").describe("A stream whose client reads nothing for this long is closed"),
    historyPoints: nonNegativeInt().max(3600).default(300).describe("Seconds of throughput and error-rate history kept for the charts"),
  })
  .refine((o) => isLoopback(o.host) || o.token !== undefined, {
    path: ["host"],
    message: "binding the web interface to a non-loopback host needs a token: set `token` (16+ characters) or use host 127.0.0.1",
  });

export type WebOptions = z.output<typeof webSchema>;
