/** The Prometheus text exposition format (version 0.0.4) of a telemetry snapshot. */
import type { PluginMetric } from "../../core/mod.ts";
import type { Snapshot } from "./telemetry.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Escapes a label value: backslash, double quote and newline, as the format requires. */
export const escapeLabel = (value: string): string => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN");

type Sample = [Record<string, string>, number];

class Writer {
  readonly lines: string[] = [];
  readonly names = new Set<string>();
  family(name: string, type: "counter" | "gauge", help: string, samples: Sample[]): void {
    this.names.add(name);
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${Object.keys(l).length ? labels(l) : ""} ${num(v)}`);
  }
}

/** A plugin metric's family: `logsim_plugin_<name>`, other characters than [a-zA-Z0-9_] made `_`, `_total` ending a counter. */
export function pluginFamilyName(metric: Pick<PluginMetric, "name" | "type">): string {
  const base = `logsim_plugin_${metric.name.replace(/[^a-zA-Z0-9_]/g, "_")}`;
  return metric.type === "counter" && !base.endsWith("_total") ? `${base}_total` : base;
}

/**
 * The families of the metrics plugins published themselves, one per name across plugins. A name
 * that would collide with a core family, or a plugin giving a name another type than the first
 * plugin did, is left out rather than making the whole exposition invalid for scrapers.
 */
function writePluginFamilies(w: Writer, plugins: Array<{ labels: Record<string, string>; metrics: readonly PluginMetric[] }>): void {
  const families = new Map<string, { type: PluginMetric["type"]; help: string; samples: Sample[] }>();
  for (const { labels, metrics } of plugins) {
    for (const m of metrics) {
      if ((m.type !== "counter" && m.type !== "gauge") || typeof m.value !== "number" || typeof m.name !== "string" || m.name === "") continue;
      const name = pluginFamilyName(m);
      if (w.names.has(name)) continue;
      let family = families.get(name);
      if (!family) families.set(name, (family = { type: m.type, help: String(m.help ?? "").trim() || `Published by plugin ${labels.plugin}.`, samples: [] }));
      if (family.type === m.type) family.samples.push([labels, m.value]);
    }
  }
  for (const [name, f] of families) w.family(name, f.type, f.help, f.samples);
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
  writePluginFamilies(w, plugins.map((x) => ({ labels: pl(x), metrics: x.metrics })));
  return `${w.lines.join("\n")}\n`;
}
