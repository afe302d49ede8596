/**
 * What core and plugins need from the runtime. Each of runtime/{bun,deno,node}
 * implements it; nothing outside runtime/ touches Bun., Deno. or process.
 */
import type { SyntaxProblem } from "./config/syntax.ts";

/** The runtime running logsim. */
export type RuntimeName = "bun" | "deno" | "node";
/** The signals the host reacts to. */
export type Signal = "SIGINT" | "SIGTERM" | "SIGHUP";

/**
 * An output stream. `write` resolves when the stream has taken the bytes (backpressure).
 *
 * @example
 * await ctx.runtime.stdout.write(`${lines.join("\n")}\n`);
 */
export interface Writer {
  write(chunk: Uint8Array | string): Promise<void>;
  /** Resolves once every write so far has been handed to the OS (writes made without awaiting included). */
  flush(): Promise<void>;
  readonly isTTY: boolean;
  /** Terminal width in columns, when `isTTY`. */
  readonly columns?: number;
}

/**
 * What stat says of a file: its size, and its device (with the path, its identity across renames).
 *
 * @example
 * const size = ctx.runtime.fs.stat(path)?.size ?? 0;
 */
export interface FileStat {
  size: number;
  dev: number;
  ino: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

/**
 * A file opened for appending, written with positional-free writes. FileWriter does this for you,
 * batched and rotated.
 *
 * @example
 * const file = ctx.runtime.fs.openAppend("out.log");
 */
export interface AppendFile {
  /**
   * Writes all of `data` (loops over short writes). A failure part way throws an
   * error carrying `bytesWritten`: how many bytes did reach the file.
   */
  write(data: Uint8Array): void;
  /** Cuts the file to `size` bytes (appends continue at the new end). */
  truncate(size: number): void;
  sync(): void;
  close(): void;
}

/**
 * A file opened for reading by byte position.
 *
 * @example
 * const file = ctx.runtime.fs.openRead(path);
 * const n = file.read(buffer, position);
 */
export interface ReadFile {
  /** Reads up to `buffer.length` bytes at `position`; returns how many were read. */
  read(buffer: Uint8Array, position: number): number;
  stat(): FileStat;
  close(): void;
}

/**
 * Synchronous file operations. Sync I/O is deliberate: sinks batch many records
 * per call, so a call per batch costs less than the promise machinery of async I/O.
 * Plugins reach it as `ctx.runtime.fs`, the same on Bun, Deno and Node.
 *
 * @example
 * ctx.runtime.fs.mkdirp(dir);
 * ctx.runtime.fs.writeAtomic(join(dir, "state.json"), JSON.stringify(state));
 */
export interface FileSystem {
  openAppend(path: string): AppendFile;
  openRead(path: string): ReadFile;
  stat(path: string): FileStat | undefined;
  rename(from: string, to: string): void;
  remove(path: string): void;
  mkdirp(path: string): void;
  readText(path: string): string | undefined;
  /**
   * Writes a whole file atomically: temp file (named by atomicTempName), fsync, rename, fsync of the
   * folder. `sync: false` leaves out the fsyncs: readers and a restart after a crash or kill -9 still
   * see the old content or the new, whole; only a power loss may leave the old one (or none).
   *
   * `inPlace` (with `sync: false`, for state saved often, such as positions): when the old file and
   * the new text each fit in one page (4 KiB), the file is overwritten in place by one write at
   * offset 0, the text padded with spaces to the old length (whitespace, for JSON). A kill -9 or a
   * crash still leaves the old text or the new, whole (the kernel copies one page whole); a reader
   * racing the write may see a mix. Why: on ext4 a rename over a file forces the new file's
   * write-out, which under a stream of writes cost 1-50 ms a save (measured: the 1M-line collect
   * workload went from 3.4-4.4 s to 2.3-3.1 s on Bun without it).
   */
  writeAtomic(path: string, data: string, options?: { sync?: boolean; inPlace?: boolean }): void;
  readDir(path: string): string[];
  /**
   * Reads a file from its start to its end as a stream, pulled (the next chunk is read when
   * asked for): for a FIFO or a device, which cannot be read by position. Ending the iteration
   * early closes it.
   */
  readStream(path: string): AsyncIterable<Uint8Array>;
  /** Calls `onChange` with a file name (or undefined) when something in `dir` may have changed. A hint only. */
  /** `event` is "change" for a file's content, "rename" for a file that appeared, moved or went (as fs.watch says). */
  watchDir(dir: string, onChange: (name: string | undefined, event: "rename" | "change") => void): () => void;
}

/**
 * The temp file writeAtomic writes before its rename: `.<name>.<stamp>.tmp` beside the target.
 * A process killed between the two leaves it behind; owners of the target remove such files.
 */
export const atomicTempName = (name: string, stamp: number): string => `.${name}.${stamp}.tmp`;

/**
 * The target's name when `file` is a temp file of writeAtomic, else undefined: a plugin that
 * lists a folder it writes state to skips (or removes) such leftovers.
 *
 * @example
 * atomicTempTarget(".state.json.1700000000000.tmp"); // "state.json"
 */
export function atomicTempTarget(file: string): string | undefined {
  return /^\.(.+)\.\d+\.tmp$/.exec(file)?.[1];
}

/**
 * What an HTTP handler is: a fetch function (Hono's `app.fetch` is one).
 *
 * @example
 * const handler: FetchHandler = () => new Response("ok");
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where `runtime.serve` listens. */
export interface ServeOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** Seconds a connection may stay silent before the server drops it (default 30). */
  idleTimeoutS?: number;
}

/**
 * A listening HTTP server, from `ctx.runtime.serve`.
 *
 * @example
 * const server = await ctx.runtime.serve(app.fetch, { hostname: "127.0.0.1", port: 0 });
 * ctx.log.info(`listening on ${server.port}`);
 * await server.close();
 */
export interface HttpServer {
  readonly hostname: string;
  /** The bound port (the one picked when 0 was asked). */
  readonly port: number;
  /** Stops listening and closes open connections; idempotent. */
  close(): Promise<void>;
}

/**
 * What plugins need from the runtime (`ctx.runtime`): environment, streams, files, signals and
 * an HTTP server, implemented the same way for Bun, Deno and Node. A plugin that uses it (and
 * not Bun., Deno. or process.) runs unchanged on all three.
 *
 * @example
 * const token = ctx.runtime.env("API_TOKEN");
 * const text = ctx.runtime.fs.readText(join(ctx.runtime.cwd(), "lookup.json"));
 */
export interface Runtime {
  readonly name: RuntimeName;
  readonly version: string;
  env(name: string): string | undefined;
  cwd(): string;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** The process's standard input, read to its end, pulled (backpressure); can be iterated once. */
  readStdin(): AsyncIterable<Uint8Array>;
  readonly fs: FileSystem;
  /** Calls `handler` on the signal; returns the unsubscribe. */
  onSignal(signal: Signal, handler: () => void): () => void;
  /**
   * Imports a module (a config file) by absolute path. With `fresh`, imports it again from
   * its current source rather than from the module cache (a config reload); the modules it
   * imports may still come from the cache.
   */
  importModule(path: string, options?: { fresh?: boolean }): Promise<Record<string, unknown>>;
  /** The first syntax error in a module's source (TypeScript or JavaScript by its extension), for when `importModule` failed. */
  findSyntaxError(path: string, source: string): Promise<SyntaxProblem | undefined>;
  /** Serves HTTP with the runtime's own server (Bun.serve, Deno.serve, node:http); resolves once listening. */
  serve(fetch: FetchHandler, options: ServeOptions): Promise<HttpServer>;
  exit(code: number): never;
  /**
   * Starts a thread running logsim's parallel-parsing worker (core/parallel): a Web Worker on Bun
   * and Deno, a worker_threads Worker on Node. Absent where threads are not available (runtimes
   * built by hand in tests): pipelines then run on one thread.
   */
  startWorker?(): WorkerPort;
}

/**
 * A thread started by `runtime.startWorker`, the same on every runtime. Messages are structured
 * clones; the buffers listed in `transfer` move to the other side without a copy.
 *
 * @example
 * const worker = runtime.startWorker!();
 * worker.onMessage((message) => console.log(message));
 * worker.post({ bytes }, [bytes.buffer]);
 */
export interface WorkerPort {
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: unknown) => void): void;
  /** The thread failed: an uncaught error or a message that could not be read. */
  onError(handler: (message: string) => void): void;
  terminate(): void;
}

/**
 * What a worker started by `runtime.startWorker` uses to talk to the thread that started it.
 *
 * @example
 * port.onMessage((message) => port.post({ echo: message }));
 */
export interface ParentPort {
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: unknown) => void): void;
}
