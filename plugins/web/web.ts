/**
 * The web service: live records, per-plugin counters and rates, parse errors, tailed files,
 * generator bursts, rotations and Prometheus metrics over HTTP. Its instance (and Hono with
 * it) loads at the first `create`, so a process without a web service never loads them.
 */
import { definePlugin } from "../../core/mod.ts";
import { webSchema } from "./schema.ts";

/** The URL a client on this machine would use for `host`. */
export function webUrl(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${name.includes(":") && !name.startsWith("[") ? `[${name}]` : name}:${port}/`;
}

export const web = definePlugin({
  kind: "service",
  name: "web",
  description: "Web interface: live tail, counters, parse errors, tailed files and Prometheus metrics over HTTP",
  schema: webSchema,
  create: async (options, ctx) => (await import("./create-web.ts")).createWeb(options, ctx),
});
