/**
 * The NATS plugins' counters as `plugin:metrics`, the general channel by which any plugin's own
 * numbers reach the web interface's /metrics and dashboard (`logsim_plugin_nats_sink_published_total`).
 */
import type { PluginMetric } from "../../core/mod.ts";
import type { NatsConsumerStats, NatsPublisherStats } from "./events.ts";

const counter = (name: string, help: string, value: number): PluginMetric => ({ name, type: "counter", help, value });
const gauge = (name: string, help: string, value: number): PluginMetric => ({ name, type: "gauge", help, value });

export const publisherMetrics = (s: NatsPublisherStats): PluginMetric[] => [
  counter("nats_sink_published", "Records a nats sink published to JetStream (first attempts).", s.published),
  counter("nats_sink_acked", "Publishes JetStream acknowledged (stored, or dropped as a duplicate).", s.acked),
  counter("nats_sink_duplicates", "Acks that said duplicate: re-sends the stream's duplicate window dropped.", s.duplicates),
  counter("nats_sink_retried", "Publishes sent again with the same id after a timeout or error.", s.retried),
  counter("nats_sink_dead_lettered", "Records a nats sink wrote to its dead-letter file.", s.deadLettered),
  gauge("nats_sink_in_flight", "Publishes awaiting their JetStream ack.", s.inFlight),
  gauge("nats_sink_pending", "Records a nats sink took and JetStream has not acked yet (in flight and queued).", s.pending),
  gauge("nats_sink_connected", "1 while the nats sink's connection is open.", s.connected ? 1 : 0),
];

export const consumerMetrics = (s: NatsConsumerStats & { inFlight: number }): PluginMetric[] => [
  counter("nats_source_delivered", "Messages a nats source received from its consumer, redeliveries included.", s.delivered),
  counter("nats_source_redelivered", "Messages delivered more than once (a worker died, an ack came too late).", s.redelivered),
  counter("nats_source_duplicates", "Messages whose id this worker had seen already: acked, not passed on.", s.duplicates),
  counter("nats_source_acked", "Messages acked after the pipeline's sinks flushed them.", s.acked),
  gauge("nats_source_in_flight", "Messages handed to the pipeline and not acked yet.", s.inFlight),
  gauge("nats_source_lag", "Messages of the stream the consumer had not delivered yet, as of the last delivery.", s.lag),
  gauge("nats_source_connected", "1 while the nats source's connection is open.", s.connected ? 1 : 0),
];
