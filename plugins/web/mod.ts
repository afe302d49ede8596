export { web, webUrl } from "./web.ts";
export { webSchema, isLoopback, type WebOptions } from "./schema.ts";
export { createWebApp, type WebApp, type WebAppDeps } from "./app.ts";
export { Telemetry, type Snapshot } from "./telemetry.ts";
export { formatPrometheus } from "./prometheus.ts";
