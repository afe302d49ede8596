/** NATS JetStream: the `nats` sink (agents publish) and the `nats-source` source (workers consume). */
export { nats } from "./sink.ts";
export { natsSource } from "./source.ts";
export { natsSinkSchema, natsSourceSchema, type NatsSinkOptions, type NatsSourceOptions } from "./options.ts";
export type { NatsConsumerStats, NatsPublisherStats } from "./events.ts";
