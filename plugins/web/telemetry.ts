/**
 * What the dashboard and /api/metrics show, gathered from the bus: the tap
 * ring, parse errors by file and reason with the latest dead-letter lines,
 * tailed files, generator rate and bursts, rotations, pipeline failures, and
 * a once-a-second history of throughput and errors for the charts and rates.
 */
import { formatError, type AppView, type Bus, type Counters, type PluginKind, type PluginMetric } from "../../core/mod.ts";
import type { TailedFile } from "../mod.ts";
import { Ring } from "./ring.ts";

const LATEST = 50;
const MAX_LINE = 2048;
/** Metrics kept per plugin instance: a plugin emitting thousands would swamp /metrics and the page. */
const MAX_PLUGIN_METRICS = 100;

export interface ParseErrorGroup { pipeline: string; plugin: string; fileId: string | null; file: string | null; reason: string; count: number; lastTime: number }
export interface DeadLetter { time: number; pipeline: string; plugin: string; fileId: string | null; file: string | null; offset: number | null; reason: string; line: string }
export interface GeneratorState { pipeline: string; plugin: string; rate: number; targetRate: number; emitted: number; burst: boolean; multiplier: number | null; burstEndsAt: number | null; time: number }
export interface Rotation { time: number; pipeline: string; plugin: string; path: string }
export interface HistoryPoint { time: number; records: number; errors: number; dropped: number }
/** A plugin's runner counters, their rates, and the metrics it published itself (`plugin:metrics`). */
export interface PluginMetrics { id: string; name: string; kind: PluginKind; counters: Counters; rates: Counters; metrics: PluginMetric[] }
export interface PipelineMetrics { name: string; state: string; plugins: PluginMetrics[] }

export interface Snapshot {
  time: number;
  uptimeMs: number;
  pipelines: PipelineMetrics[];
  failures: Array<{ pipeline: string; time: number; message: string }>;
  tap: { records: number; buffered: number; capacity: number; dropped: number; streams: number; rate: number };
  parseErrors: { total: number; groups: ParseErrorGroup[]; latest: DeadLetter[] };
  files: Array<Omit<TailedFile, "path"> & { pipeline: string; plugin: string; name: string }>;
  generators: GeneratorState[];
  rotations: { total: number; latest: Rotation[] };
  history: { intervalMs: number; points: HistoryPoint[] };
}

const zero = (): Counters => ({ received: 0, emitted: 0, dropped: 0, errors: 0 });
const keys = ["received", "emitted", "dropped", "errors"] as const;
const push = <T>(list: T[], item: T, max: number) => {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
};
const cut = (line: string) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} chars)` : line);

export class Telemetry {
  readonly ring: Ring;
  /** Records a slow stream client never got: counted here, never waited for. */
  tapDropped = 0;
  streams = 0;
  readonly #app: AppView;
  readonly #now: () => number;
  readonly #started: number;
  readonly #historyPoints: number;
  readonly #offs: Array<() => void> = [];
  readonly #fileIds = new Map<string, string>();
  readonly #groups = new Map<string, ParseErrorGroup>();
  readonly #latest: DeadLetter[] = [];
  #parseTotal = 0;
  readonly #files = new Map<string, { pipeline: string; plugin: string; files: TailedFile[] }>();
  readonly #generators = new Map<string, GeneratorState>();
  readonly #rotations: Rotation[] = [];
  #rotationTotal = 0;
  readonly #failures: Snapshot["failures"] = [];
  readonly #history: HistoryPoint[] = [];
  #previous = new Map<string, Counters>();
  #rates = new Map<string, Counters>();
  #lastSample: { time: number; records: number; errors: number; dropped: number } | undefined;
  #tapRate = 0;
  /** The latest `plugin:metrics` set of each instance, by id; shown only while the id is in a pipeline. */
  readonly #pluginMetrics = new Map<string, PluginMetric[]>();

  constructor(bus: Bus, app: AppView, options: { buffer: number; historyPoints: number; now: () => number }) {
    this.ring = new Ring(options.buffer);
    this.#app = app;
    this.#now = options.now;
    this.#started = options.now();
    this.#historyPoints = options.historyPoints;
    this.#offs.push(
      bus.on("records:processed", ({ pipeline, records }) => this.ring.push(pipeline, records)),
      bus.on("record:parse-failed", (e) => this.#parseFailed(e)),
      bus.on("tail:files", ({ pipeline, plugin, files }) => void this.#files.set(`${pipeline}\0${plugin}`, { pipeline, plugin, files })),
      bus.on("generator:stats", (e) => {
        const g = this.#generator(e.pipeline, e.plugin);
        Object.assign(g, { rate: e.rate, targetRate: e.targetRate, emitted: e.emitted, burst: e.burst, time: this.#now() });
        if (!e.burst) Object.assign(g, { multiplier: null, burstEndsAt: null });
      }),
      bus.on("generator:burst-started", (e) => void Object.assign(this.#generator(e.pipeline, e.plugin), { burst: true, multiplier: e.multiplier, burstEndsAt: this.#now() + e.durationMs })),
      bus.on("generator:burst-ended", (e) => void Object.assign(this.#generator(e.pipeline, e.plugin), { burst: false, multiplier: null, burstEndsAt: null })),
      bus.on("sink:rotated", (e) => {
        this.#rotationTotal++;
        push(this.#rotations, { time: this.#now(), ...e }, LATEST);
      }),
      bus.on("plugin:metrics", ({ plugin, metrics }) => void this.#pluginMetrics.set(plugin, metrics.slice(0, MAX_PLUGIN_METRICS).map((m) => ({ ...m })))),
      bus.on("pipeline:failed", ({ pipeline, error }) => push(this.#failures, { pipeline, time: this.#now(), message: formatError(error).join("; ") }, LATEST)),
    );
  }

  /** The opaque id of a file path: routes and the page refer to files by it, never by path. */
  fileId(path: string): string {
    let id = this.#fileIds.get(path);
    if (!id) this.#fileIds.set(path, (id = `f${this.#fileIds.size + 1}`));
    return id;
  }

  #parseFailed(e: { pipeline: string; plugin: string; line: string; reason: string; file?: string; offset?: number }): void {
    this.#parseTotal++;
    const fileId = e.file === undefined ? null : this.fileId(e.file);
    const key = `${e.pipeline}\0${e.plugin}\0${fileId}\0${e.reason}`;
    let group = this.#groups.get(key);
    if (!group) {
      // Reasons are free text from parsers: bound the number of groups kept.
      if (this.#groups.size >= 500) return;
      this.#groups.set(key, (group = { pipeline: e.pipeline, plugin: e.plugin, fileId, file: e.file ?? null, reason: e.reason, count: 0, lastTime: 0 }));
    }
    group.count++;
    group.lastTime = this.#now();
    push(this.#latest, { time: group.lastTime, pipeline: e.pipeline, plugin: e.plugin, fileId, file: e.file ?? null, offset: e.offset ?? null, reason: e.reason, line: cut(e.line) }, LATEST);
  }

  #generator(pipeline: string, plugin: string): GeneratorState {
    const key = `${pipeline}\0${plugin}`;
    let g = this.#generators.get(key);
    if (!g) this.#generators.set(key, (g = { pipeline, plugin, rate: 0, targetRate: 0, emitted: 0, burst: false, multiplier: null, burstEndsAt: null, time: this.#now() }));
    return g;
  }

  /** Takes one history point and per-plugin rates; called about once a second. */
  sample(): void {
    const time = this.#now();
    let errors = 0;
    let dropped = 0;
    const rates = new Map<string, Counters>();
    const elapsed = this.#lastSample ? (time - this.#lastSample.time) / 1000 : 0;
    for (const p of this.#app.pipelines()) {
      for (const plugin of p.plugins) {
        errors += plugin.counters.errors;
        dropped += plugin.counters.dropped;
        const before = this.#previous.get(plugin.id);
        const rate = zero();
        if (before && elapsed > 0) for (const k of keys) rate[k] = Math.max(0, (plugin.counters[k] - before[k]) / elapsed);
        rates.set(plugin.id, rate);
        this.#previous.set(plugin.id, { ...plugin.counters });
      }
    }
    this.#rates = rates;
    const now = { time, records: this.ring.total, errors, dropped };
    if (this.#lastSample && elapsed > 0) {
      const last = this.#lastSample;
      const point = { time, records: (now.records - last.records) / elapsed, errors: (now.errors - last.errors) / elapsed, dropped: (now.dropped - last.dropped) / elapsed };
      this.#tapRate = point.records;
      push(this.#history, point, this.#historyPoints);
    }
    this.#lastSample = now;
  }

  snapshot(): Snapshot {
    const pipelines = this.#app.pipelines().map((p) => ({
      name: p.name,
      state: p.state,
      plugins: p.plugins.map((x) => ({ id: x.id, name: x.name, kind: x.kind, counters: { ...x.counters }, rates: this.#rates.get(x.id) ?? zero(), metrics: this.#pluginMetrics.get(x.id) ?? [] })),
    }));
    const files = [...this.#files.values()].flatMap(({ pipeline, plugin, files }) =>
      files.map(({ path, ...rest }) => ({ ...rest, pipeline, plugin, name: path })),
    );
    return {
      time: this.#now(),
      uptimeMs: this.#now() - this.#started,
      pipelines,
      failures: [...this.#failures],
      tap: { records: this.ring.total, buffered: Math.min(this.ring.total, this.ring.capacity), capacity: this.ring.capacity, dropped: this.tapDropped, streams: this.streams, rate: this.#tapRate },
      parseErrors: { total: this.#parseTotal, groups: [...this.#groups.values()].sort((a, b) => b.count - a.count), latest: [...this.#latest] },
      files,
      generators: [...this.#generators.values()],
      rotations: { total: this.#rotationTotal, latest: [...this.#rotations] },
      history: { intervalMs: 1000, points: [...this.#history] },
    };
  }

  close(): void {
    for (const off of this.#offs.splice(0)) off();
  }
}
