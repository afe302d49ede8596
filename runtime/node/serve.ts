/**
 * HTTP for the Runtime on Node: node:http through @hono/node-server (Web Request/Response in and out),
 * loaded at the first serve: only a process with a web service pays for it.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { FetchHandler, HttpServer, ServeOptions } from "../../core/runtime.ts";

export async function nodeServe(fetch: FetchHandler, options: ServeOptions): Promise<HttpServer> {
  const { serve } = await import("@hono/node-server");
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (request) => fetch(request), hostname: options.hostname, port: options.port }, (info: AddressInfo) => {
      server.off("error", reject);
      let closing: Promise<void> | undefined;
      resolve({
        hostname: options.hostname,
        port: info.port,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            server.close(() => done());
            // Open SSE streams and idle keep-alive sockets would hold close() forever.
            server.closeAllConnections();
          })),
      });
    }) as Server;
    server.once("error", reject);
    // Idle limits: a client must send its headers within 10 s, and a silent keep-alive socket is closed after 5 s.
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    server.timeout = (options.idleTimeoutS ?? 30) * 1000;
  });
}
