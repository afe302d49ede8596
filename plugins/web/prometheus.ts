/** The Prometheus text exposition format (version 0.0.4) of a telemetry snapshot. */
import type { Snapshot } from "./telemetry.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Escapes a label value: backslash, double quote and newline, as the format requires. */
export const escapeLabel = (value: string): string => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN");

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: "counter" | "gauge", help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${Object.keys(l).length ? labels(l) : ""} ${num(v)}`);
  }
}

export function formatPrometheus(s: Snapshot): string {
  const w = new Writer();
  const plugins = s.pipelines.flatMap((p) => p.plugins.map((x) => ({ pipeline: p.name, ...x })));
  const pl = (x: (typeof plugins)[number]) => ({ pipeline: x.pipeline, id: x.id, plugin: x.name, kind: x.kind });
  w.family("logsim_plugin_received_total", "counter", "Records a plugin received.", plugins.map((x) => [pl(x), x.counters.received]));
  w.family("logsim_plugin_emitted_total", "counter", "Records a plugin emitted.", plugins.map((x) => [pl(x), x.counters.emitted]));
  w.family("logsim_plugin_dropped_total", "counter", "Records a plugin dropped.", plugins.map((x) => [pl(x), x.counters.dropped]));
  w.family("logsim_plugin_errors_total", "counter", "Errors met by a plugin.", plugins.map((x) => [pl(x), x.counters.errors]));
  w.family("logsim_pipeline_up", "gauge", "1 when the pipeline is starting or running, 0 otherwise.", s.pipelines.map((p) => [{ pipeline: p.name, state: p.state }, p.state === "running" || p.state === "starting" ? 1 : 0]));
  w.family("logsim_pipeline_failed", "gauge", "1 when the pipeline has failed.", s.pipelines.map((p) => [{ pipeline: p.name }, p.state === "failed" ? 1 : 0]));
  w.family("logsim_tap_records_total", "counter", "Records seen by the web tap.", [[{}, s.tap.records]]);
  w.family("logsim_tap_dropped_total", "counter", "Records a slow live-tail client did not get.", [[{}, s.tap.dropped]]);
  w.family("logsim_web_streams", "gauge", "Open live-tail streams.", [[{}, s.tap.streams]]);
  w.family("logsim_parse_errors_total", "counter", "Lines no parser accepted.", [[{}, s.parseErrors.total]]);
  w.family("logsim_rotations_total", "counter", "Sink file rotations.", [[{}, s.rotations.total]]);
  w.family("logsim_generator_rate", "gauge", "A generator's achieved records per second.", s.generators.map((g) => [{ pipeline: g.pipeline, id: g.plugin }, g.rate]));
  w.family("logsim_generator_burst", "gauge", "1 while a generator bursts.", s.generators.map((g) => [{ pipeline: g.pipeline, id: g.plugin }, g.burst ? 1 : 0]));
  w.family("logsim_tail_lag_bytes", "gauge", "Bytes of a tailed file not yet read.", s.files.map((f) => [{ pipeline: f.pipeline, id: f.plugin, file: f.id }, f.lag]));
  w.family("logsim_uptime_seconds", "gauge", "Seconds since the web service started.", [[{}, s.uptimeMs / 1000]]);
  return `${w.lines.join("\n")}\n`;
}
