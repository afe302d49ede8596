/** The WorkerPort of a Web Worker (Bun, Deno), and the worker side's port to its parent. */
import type { ParentPort, WorkerPort } from "../../core/runtime.ts";

export function startWebWorker(url: URL): WorkerPort {
  const worker = new Worker(url.href, { type: "module" });
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (handler) => void (worker.onmessage = (event: MessageEvent) => handler(event.data)),
    onError(handler) {
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault(); // Reported through the handler: not an uncaught error of the parent.
        handler(event.message || "the worker failed");
      };
      worker.onmessageerror = () => handler("a message from the worker could not be read");
    },
    terminate: () => worker.terminate(),
  };
}

/** The parent of a Web Worker: the worker's global scope. */
export function webParentPort(): ParentPort {
  const scope = globalThis as unknown as { postMessage(message: unknown, transfer: ArrayBuffer[]): void; onmessage: ((event: MessageEvent) => void) | null };
  return {
    post: (message, transfer = []) => scope.postMessage(message, transfer),
    onMessage: (handler) => void (scope.onmessage = (event) => handler(event.data)),
  };
}
