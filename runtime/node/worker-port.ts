/**
 * Node 20 has no Web Worker: worker_threads, with the same shape behind WorkerPort. From the
 * TypeScript sources (development) the worker registers tsx itself before importing its entry:
 * Node 20 runs a process's `--import tsx` in the main thread only.
 */
import { fileURLToPath } from "node:url";
import { parentPort, Worker } from "node:worker_threads";
import type { ParentPort, WorkerPort } from "../../core/runtime.ts";

/**
 * A parsing worker's young generation: 16 MiB, not V8's default (a third of the old space's, up to
 * 48 MiB here). What it allocates is short-lived (lines, records, JSON), and the smaller space made
 * `--workers 2` 30 MiB lighter at the same speed (1M-line workload, 3 alternating pairs: 198-201
 * against 229-230 MiB peak RSS, 2.53-2.67 s against 2.55-2.67 s); 8 MiB was slower.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16 };

export function startNodeWorker(url: URL): WorkerPort {
  const options = { resourceLimits: RESOURCE_LIMITS };
  const worker = url.pathname.endsWith(".ts") ? new Worker(tsxBootstrap(url.href), { ...options, eval: true }) : new Worker(fileURLToPath(url.href), options);
  let terminated = false;
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (handler) => void worker.on("message", handler),
    onError(handler) {
      worker.on("error", (error) => handler(error instanceof Error ? error.message : String(error)));
      worker.on("messageerror", () => handler("a message from the worker could not be read"));
      worker.on("exit", (code) => code !== 0 && !terminated && handler(`the worker exited with code ${code}`));
    },
    terminate() {
      terminated = true;
      void worker.terminate();
    },
  };
}

export function nodeParentPort(): ParentPort {
  const port = parentPort;
  if (!port) throw new Error("runtime/node/worker.ts runs only as a worker thread");
  return {
    post: (message, transfer = []) => port.postMessage(message, transfer),
    onMessage: (handler) => void port.on("message", handler),
  };
}

/** A worker script that loads tsx, then the TypeScript entry. */
function tsxBootstrap(entry: string): string {
  const api = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}
