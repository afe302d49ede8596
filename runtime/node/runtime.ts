import { createProcessRuntime } from "../shared/process-runtime.ts";

export const runtime = createProcessRuntime("node", process.versions.node);
