import { pathToFileURL } from "node:url";
import { createProcessRuntime } from "../shared/process-runtime.ts";
import { importBundled } from "./import-bundled.ts";
import { nodeServe } from "./serve.ts";

const base = createProcessRuntime("node", process.versions.node, nodeServe);

/**
 * Node 20 cannot import TypeScript by itself. In development tsx is already
 * loaded (`node --import tsx`) and the native import works; an installed
 * logsim bundles the file with esbuild and imports the result (import-bundled.ts).
 */
async function importModule(path: string): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(path).href);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    return importBundled(path);
  }
}

export const runtime = { ...base, importModule };
