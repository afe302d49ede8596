import { pathToFileURL } from "node:url";
import { createProcessRuntime, extendRuntime } from "../shared/process-runtime.ts";
import { importBundled } from "./import-bundled.ts";
import { workerEntry } from "../shared/worker-entry.ts";
import { nodeServe } from "./serve.ts";
import { startNodeWorker } from "./worker-port.ts";

const base = createProcessRuntime("node", process.versions.node, nodeServe);

/**
 * Node 20 cannot import TypeScript by itself. In development tsx is already
 * loaded (`node --import tsx`) and the native import works; an installed
 * logsim bundles the file with esbuild and imports the result (import-bundled.ts).
 */
async function importModule(path: string, options?: { fresh?: boolean }): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  // Each bundle is a new module: fresh by itself. Without one (tsx loaded), tsx imports it anew.
  if (options?.fresh) return bundling ? importBundled(path) : importFresh(url);
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    bundling = true;
    return importBundled(path);
  }
}

/** Set once Node could not import a TypeScript file natively (no tsx loaded: an installed logsim). */
let bundling = false;

/** Fresh imports so far: each has its own tsx namespace. */
let reloads = 0;

/**
 * Imports a module again. tsx maps a query back to the cached module, so a new query is not enough:
 * tsImport in a new namespace loads it anew. A module tsx compiled as CommonJS comes back as
 * `{ default: module.exports }`: its ES exports are module.exports' own.
 */
async function importFresh(url: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import("tsx/esm/api");
  const module = (await tsImport(url, { parentURL: import.meta.url, namespace: `logsim-reload-${++reloads}` } as never)) as Record<string, unknown>;
  const inner = module.default as { __esModule?: boolean } | undefined;
  return inner && typeof inner === "object" && inner.__esModule ? (inner as Record<string, unknown>) : module;
}

export const runtime = extendRuntime(base, { importModule, startWorker: () => startNodeWorker(workerEntry(import.meta.url, "node")) });
