/** The NATS plugins' events, declared here by declaration merging: core knows nothing of NATS. */
declare module "../../core/mod.ts" {
  interface LogsimEvents {
    /** A nats sink's counters, every `statsInterval` and once when it closes (`final`). */
    "nats:publisher": { pipeline: string; plugin: string; stats: NatsPublisherStats; final: boolean };
    /** A nats source's counters, every `statsInterval` and once when it closes (`final`). */
    "nats:consumer": { pipeline: string; plugin: string; stats: NatsConsumerStats; final: boolean };
  }
}

export interface NatsPublisherStats {
  /** Records published (first attempts). */
  published: number;
  /** Publishes JetStream acknowledged (stored, or dropped as a duplicate of a stored one). */
  acked: number;
  /** Acks that said "duplicate": a re-send the duplicate window dropped. */
  duplicates: number;
  /** Publishes sent again, with the same id, after a timeout or error. */
  retried: number;
  /** Records written to the dead-letter file (over the server's max payload, refused). */
  deadLettered: number;
  /** Publishes awaiting their ack right now. */
  inFlight: number;
  /** Records taken and not acked yet (in flight and queued). */
  pending: number;
  connected: boolean;
}

export interface NatsConsumerStats {
  /** Messages received from the consumer, redeliveries included. */
  delivered: number;
  /** Messages delivered more than once (another worker died, an ack came too late). */
  redelivered: number;
  /** Messages whose id this worker had seen already: acked and not passed on. */
  duplicates: number;
  /** Messages acked (after the pipeline's sinks flushed them). */
  acked: number;
  /** Messages handed to the pipeline and not acked yet. */
  inFlight: number;
  /** Messages of the stream the consumer has not delivered yet, as of the last delivery. */
  lag: number;
  connected: boolean;
}
