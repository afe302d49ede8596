import { createProcessRuntime } from "../shared/process-runtime.ts";
import { nodeServe } from "./serve.ts";

export const runtime = createProcessRuntime("node", process.versions.node, nodeServe);
