export { web, webUrl } from "./web.ts";
export { webSchema, isLoopback, type WebOptions } from "./schema.ts";
// Only the types of app.ts: its value (and Hono) loads with the service, see web.ts.
export type { WebApp, WebAppDeps } from "./app.ts";
export { Telemetry, type Snapshot } from "./telemetry.ts";
export { formatPrometheus } from "./prometheus.ts";
