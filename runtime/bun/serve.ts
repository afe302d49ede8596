/// <reference types="bun-types" />
/** HTTP for the Runtime on Bun: Bun.serve. */
import type { FetchHandler, HttpServer, ServeOptions } from "../../core/runtime.ts";

export function bunServe(fetch: FetchHandler, options: ServeOptions): Promise<HttpServer> {
  // Bun's idleTimeout is in seconds, capped at 255; its default (10 s) is shorter than an SSE keep-alive gap.
  // Bun hands over a relative URL ("/path") when Host is missing or not a valid authority: the
  // handler gets an absolute one on its own origin, as on Deno and Node (Host is left as sent).
  let origin = "";
  const absolute = (request: Request) => (request.url.startsWith("/") ? fetch(new Request(`${origin}${request.url}`, request)) : fetch(request));
  const server = Bun.serve({ fetch: absolute, hostname: options.hostname, port: options.port, idleTimeout: Math.min(255, options.idleTimeoutS ?? 30) });
  origin = `http://${options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname}:${server.port}`;
  let closing: Promise<void> | undefined;
  return Promise.resolve({
    hostname: options.hostname,
    port: server.port ?? options.port,
    close: () => (closing ??= server.stop(true).then(() => undefined)),
  });
}
