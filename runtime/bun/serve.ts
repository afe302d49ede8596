/// <reference types="bun-types" />
/** HTTP for the Runtime on Bun: Bun.serve. */
import type { FetchHandler, HttpServer, ServeOptions } from "../../core/runtime.ts";

export function bunServe(fetch: FetchHandler, options: ServeOptions): Promise<HttpServer> {
  // Bun's idleTimeout is in seconds, capped at 255; its default (10 s) is shorter than an SSE keep-alive gap.
  const server = Bun.serve({ fetch, hostname: options.hostname, port: options.port, idleTimeout: Math.min(255, options.idleTimeoutS ?? 30) });
  let closing: Promise<void> | undefined;
  return Promise.resolve({
    hostname: options.hostname,
    port: server.port ?? options.port,
    close: () => (closing ??= server.stop(true).then(() => undefined)),
  });
}
