/// <reference types="bun-types" />
import { createProcessRuntime } from "../shared/process-runtime.ts";
import { bunServe } from "./serve.ts";

export const runtime = createProcessRuntime("bun", Bun.version, bunServe);
