/**
 * The nats source: a durable pull consumer of a JetStream stream. Its instance and the NATS
 * client load at the first `create` (see sink.ts for why).
 */
import { definePlugin } from "../../core/mod.ts";
import "./events.ts";
import { natsSourceSchema } from "./options.ts";

export const natsSource = definePlugin({
  kind: "source",
  name: "nats-source",
  description: "Consumes records from a NATS JetStream stream as a durable pull consumer (acked after the sinks flushed)",
  schema: natsSourceSchema,
  create: async (options, ctx) => (await import("./create-source.ts")).createNatsSource(options, ctx),
});
