/**
 * The nats sink: publishes records to a JetStream stream, acked and de-duplicated by message id.
 * Its instance and the NATS client load at the first `create`: every logsim process imports
 * this definition (the CLI's registry lists all built-ins), and the client alone costs more
 * CPU at startup than the rest of logsim.
 */
import { definePlugin } from "../../core/mod.ts";
import "./events.ts";
import { natsSinkSchema } from "./options.ts";

export const nats = definePlugin({
  kind: "sink",
  name: "nats",
  description: "Publishes records to a NATS JetStream stream (acked, de-duplicated by message id)",
  schema: natsSinkSchema,
  create: async (options, ctx) => (await import("./create-sink.ts")).createNatsSink(options, ctx),
  writes: (options) => [options.deadletter],
});
