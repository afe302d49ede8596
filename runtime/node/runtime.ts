import { pathToFileURL } from "node:url";
import { createProcessRuntime } from "../shared/process-runtime.ts";
import { nodeServe } from "./serve.ts";

const base = createProcessRuntime("node", process.versions.node, nodeServe);

/**
 * Node 20 cannot import TypeScript by itself. In development tsx is already
 * loaded (`node --import tsx`); an installed logsim registers tsx's loader
 * the first time a config file needs it.
 */
async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const { register } = await import("tsx/esm/api");
    register();
    // Node caches the failed import by URL: ask again under a fresh one.
    return import(`${url}?ts`);
  }
}

export const runtime = { ...base, importModule };
