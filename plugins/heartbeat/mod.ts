export { heartbeat, heartbeatSchema, type HeartbeatOptions } from "./heartbeat.ts";
