/**
 * The web service: a Hono app on the runtime's own HTTP server, showing live
 * records (a tap on `records:processed`), per-plugin counters and rates,
 * parse errors, tailed files, generator bursts and rotations.
 */
import { definePlugin, type HttpServer, type PluginContext, type Service } from "../../core/mod.ts";
import { loadAssets } from "./assets.ts";
import { createWebApp } from "./app.ts";
import { webSchema, type WebOptions } from "./schema.ts";
import { Telemetry } from "./telemetry.ts";

/** The URL a client on this machine would use for `host`. */
export function webUrl(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${name.includes(":") && !name.startsWith("[") ? `[${name}]` : name}:${port}/`;
}

function createWeb(options: WebOptions, ctx: PluginContext): Service {
  const assets = loadAssets(ctx.runtime.fs);
  if (assets.isErr()) throw new Error(assets.error);
  const telemetry = new Telemetry(ctx.bus, ctx.app, { buffer: options.buffer, historyPoints: options.historyPoints, now: ctx.clock.now });
  const web = createWebApp({ options, app: ctx.app, telemetry, assets: assets.value, clock: ctx.clock, signal: ctx.signal });
  let server: HttpServer | undefined;
  let loops: Promise<void> | undefined;

  async function everySecond(): Promise<void> {
    while (await ctx.clock.sleep(1000, ctx.signal)) {
      telemetry.sample();
      // Streams whose client has read nothing for `idleTimeout` free their slot.
      const idleBefore = ctx.clock.monotonic() - options.idleTimeout;
      for (const stream of [...web.streams]) if (stream.lastPull < idleBefore) stream.close();
    }
  }

  return {
    async start() {
      telemetry.sample();
      server = await ctx.runtime.serve(web.hono.fetch, { hostname: options.host, port: options.port });
      loops = everySecond();
      ctx.log.info(`web interface at ${webUrl(options.host, server.port)}`);
    },
    async stop() {
      // ctx.signal is aborted before stop(): streams are ending, so the server can close.
      for (const stream of [...web.streams]) stream.close();
      await server?.close();
      await loops;
      telemetry.close();
    },
  };
}

export const web = definePlugin({
  kind: "service",
  name: "web",
  description: "Web interface: live tail, counters, parse errors, tailed files and Prometheus metrics over HTTP",
  schema: webSchema,
  create: createWeb,
});
