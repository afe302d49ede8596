/** The Runtime for hosts with Node's `process` global: Node itself, and Bun. */
import { pathToFileURL } from "node:url";
import type { Runtime, RuntimeName, Writer } from "../../core/runtime.ts";
import { nodeFileSystem } from "./node-fs.ts";
import { findSyntaxError } from "./syntax.ts";

function streamWriter(stream: NodeJS.WriteStream): Writer {
  return {
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.columns;
    },
    write(chunk) {
      return new Promise((resolve, reject) => {
        // Resolve on the write callback: it fires once the data is handed to the OS (or buffered below highWaterMark).
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
    },
    flush() {
      // Stream writes complete in order, so an empty write's callback comes after all earlier ones.
      return new Promise((resolve) => stream.write("", () => resolve()));
    },
  };
}

/** `serve` differs between the two (Bun.serve, node:http), so each passes its own. */
export function createProcessRuntime(name: RuntimeName, version: string, serve: Runtime["serve"]): Runtime {
  // Made when first written to: on Bun, process.stdout loads node:stream and fs.WriteStream, 10% of
  // the start of a `collect -q` that writes to files only (profiled).
  let stdout: Writer | undefined;
  let stderr: Writer | undefined;
  return {
    name,
    version,
    serve,
    env: (key) => process.env[key],
    cwd: () => process.cwd(),
    get stdout() {
      return (stdout ??= streamWriter(process.stdout));
    },
    get stderr() {
      return (stderr ??= streamWriter(process.stderr));
    },
    // A Readable is an async iterable of Buffers: the stream pauses while no one asks for the next chunk.
    readStdin: () => process.stdin,
    fs: nodeFileSystem,
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
    importModule: (path) => import(pathToFileURL(path).href),
    findSyntaxError,
    exit(code): never {
      process.exit(code);
    },
  };
}

/**
 * `{ ...base, ...extra }` without reading base's getters: a spread would make stdout and stderr at
 * once (on Bun, 17-20 ms of a `collect -q` start that never writes to them, profiled).
 */
export function extendRuntime<B extends object, E extends object>(base: B, extra: E): Omit<B, keyof E> & E {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(base), ...Object.getOwnPropertyDescriptors(extra) }) as Omit<B, keyof E> & E;
}
