/**
 * The web service's instance (loaded by web.ts at its first create): a Hono app on the
 * runtime's own HTTP server, showing live records (a tap on `records:processed`),
 * per-plugin counters and rates, parse errors, tailed files, generator bursts and rotations.
 */
import type { HttpServer, PluginContext, Service } from "../../core/mod.ts";
import { loadAssets } from "./assets.ts";
import { createWebApp } from "./app.ts";
import type { WebOptions } from "./schema.ts";
import { Telemetry } from "./telemetry.ts";
import { webUrl } from "./web.ts";

export function createWeb(options: WebOptions, ctx: PluginContext): Service {
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
