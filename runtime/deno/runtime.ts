/** The Runtime on Deno's own APIs. File I/O goes through node:fs, which Deno implements. */
import { pathToFileURL } from "node:url";
import type { HttpServer, Runtime, ServeOptions, FetchHandler, Writer } from "../../core/runtime.ts";
import { nodeFileSystem } from "../shared/node-fs.ts";
import { findSyntaxError } from "../shared/syntax.ts";
import { startWebWorker } from "../shared/web-worker.ts";
import { workerEntry } from "../shared/worker-entry.ts";

/** Fresh imports so far: each asks under a new URL. */
let reloads = 0;

/** The part of the Deno namespace used here, declared so tsc can check this file without Deno's types. */
interface DenoWriter {
  write(p: Uint8Array): Promise<number>;
  isTerminal(): boolean;
}
declare const Deno: {
  version: { deno: string };
  env: { get(key: string): string | undefined };
  cwd(): string;
  stdin: { readable: ReadableStream<Uint8Array> };
  stdout: DenoWriter;
  stderr: DenoWriter;
  consoleSize(): { columns: number; rows: number };
  addSignalListener(signal: string, handler: () => void): void;
  removeSignalListener(signal: string, handler: () => void): void;
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; signal?: AbortSignal; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
};

const encoder = new TextEncoder();

function writer(stream: DenoWriter): Writer {
  // Writes are chained so concurrent callers cannot interleave partial writes.
  let tail = Promise.resolve();
  return {
    get isTTY() {
      return stream.isTerminal();
    },
    get columns() {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
    write(chunk) {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      const next = tail.then(async () => {
        for (let offset = 0; offset < bytes.length; ) offset += await stream.write(bytes.subarray(offset));
      });
      tail = next.catch(() => {});
      return next;
    },
    flush: () => tail,
  };
}

/** A ReadableStream as an async iterable; ending the iteration early cancels the stream. */
async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return void (done = true);
      yield next.value;
    }
  } finally {
    if (!done) void reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function serve(fetch: FetchHandler, options: ServeOptions): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    let closing: Promise<void> | undefined;
    // shutdown() waits for open responses: the caller ends its streams first (the web plugin does).
    const listening = (port: number) => resolve({ hostname: options.hostname, port, close: () => (closing ??= server.shutdown()) });
    let server: ReturnType<typeof Deno.serve>;
    try {
      server = Deno.serve({ hostname: options.hostname, port: options.port, onListen: ({ port }) => listening(port) }, fetch);
    } catch (error) {
      reject(error);
    }
  });
}

export const runtime: Runtime = {
  name: "deno",
  version: Deno.version.deno,
  env: (key) => Deno.env.get(key),
  cwd: () => Deno.cwd(),
  stdout: writer(Deno.stdout),
  stderr: writer(Deno.stderr),
  readStdin: () => chunks(Deno.stdin.readable),
  fs: nodeFileSystem,
  onSignal(signal, handler) {
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  },
  // A new query is a new module to Deno's cache: the file is read again.
  importModule: (path, options) => import(options?.fresh ? `${pathToFileURL(path).href}?reload=${++reloads}` : pathToFileURL(path).href),
  findSyntaxError,
  serve,
  exit: (code) => Deno.exit(code),
  startWorker: () => startWebWorker(workerEntry(import.meta.url, "deno")),
};
