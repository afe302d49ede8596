/// <reference types="bun-types" />
import { createProcessRuntime } from "../shared/process-runtime.ts";

export const runtime = createProcessRuntime("bun", Bun.version);
