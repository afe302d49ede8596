/// <reference types="bun-types" />
import { createProcessRuntime, extendRuntime } from "../shared/process-runtime.ts";
import { startWebWorker } from "../shared/web-worker.ts";
import { workerEntry } from "../shared/worker-entry.ts";
import { bunServe } from "./serve.ts";

const base = createProcessRuntime("bun", Bun.version, bunServe);

export const runtime = extendRuntime(base, {
  // Bun keys its module cache by path and ignores a query; removing the entry makes import read the file again.
  importModule(path: string, options?: { fresh?: boolean }) {
    if (options?.fresh) delete require.cache[path];
    return base.importModule(path);
  },
  startWorker: () => startWebWorker(workerEntry(import.meta.url, "bun")),
});
