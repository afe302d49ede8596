/**
 * Turns what a config file exported into a ResolvedConfig, collecting every
 * problem at once (Astro-style) instead of stopping at the first.
 */
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";
import type { ConfigIssue, LogsimError } from "../errors.ts";
import { isPluginSpec, type PluginDefinition, type PluginKind, type PluginSpec } from "../plugin.ts";
import { duration, nonNegativeInt, positiveInt } from "./fields.ts";

export interface ResolvedPlugin<K extends PluginKind = PluginKind> {
  /** Where it is in the config: `pipelines.main.sinks[1]`. */
  id: string;
  definition: PluginDefinition<K>;
  /** Validated options (the schema's output). */
  options: unknown;
  /** The options as written, for display. */
  input: unknown;
}

export interface ResolvedPipeline {
  name: string;
  sources: ResolvedPlugin<"source">[];
  parsers: ResolvedPlugin<"parser">[];
  transforms: ResolvedPlugin<"transform">[];
  sinks: ResolvedPlugin<"sink">[];
  capacity: number;
  overflow: "block" | "drop-newest";
  flushIntervalMs: number;
  /** What happens to a line no parser understands (see PipelineConfig); absent means `pass`. */
  onParseError?: "deadletter" | "drop" | "pass";
  /** The dead-letter file, for `onParseError: "deadletter"`. */
  deadletter?: string;
  /** How a failing sink is retried (see PipelineConfig.retry). */
  retry: RetrySettings;
}

/** Backoff of a failing sink, in ms, and the retries it gets once the pipeline stops. */
export interface RetrySettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  attemptsOnStop: number;
}

export interface ResolvedConfig {
  pipelines: ResolvedPipeline[];
  services: ResolvedPlugin<"service">[];
  hookTimeoutMs: number;
}

/** Plugins a plain-data (JSON) config can name with `use`. */
export type PluginRegistry = ReadonlyMap<string, PluginDefinition>;

export const ROLES = { sources: "source", parsers: "parser", transforms: "transform", sinks: "sink" } as const;
type Role = keyof typeof ROLES;

const pipelineSettings = z.object({
  channel: z
    .strictObject({
      capacity: positiveInt().default(16),
      overflow: z.enum(["block", "drop-newest"], { error: 'expected "block" or "drop-newest"' }).default("block"),
    })
    .default({ capacity: 16, overflow: "block" }),
  flushInterval: duration().prefault("100ms"),
  onParseError: z.enum(["deadletter", "drop", "pass"], { error: 'expected "deadletter", "drop" or "pass"' }).default("deadletter"),
  deadletter: z.string({ error: "expected a file path" }).min(1, { error: "expected a non-empty file path" }).optional(),
  retry: z
    .strictObject({ initialBackoff: duration().prefault("100ms"), maxBackoff: duration().prefault("5s"), attemptsOnStop: nonNegativeInt().default(5) })
    .refine((r) => r.maxBackoff >= r.initialBackoff, { error: "maxBackoff must be at least initialBackoff", path: ["maxBackoff"] })
    .prefault({}),
});

const topSettings = z.object({ hookTimeout: duration().prefault("10s") });

/** Formats a zod path (`["rules", 0, "match"]`) as `rules[0].match`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** One ConfigIssue per zod issue, unrecognised keys split one per key. */
export function zodIssues(error: z.ZodError, base: { path: string; plugin?: string }): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const message = key === undefined ? issue.message : "unknown option";
      const option = formatPath(path) || undefined;
      issues.push(base.plugin ? { ...base, option, message } : { path: joinPath(base.path, option), message });
    }
  }
  return issues;
}

/** Levenshtein distance, for "did you mean" hints on short names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

const joinPath = (a: string, b: string | undefined) => (b ? (a ? (b.startsWith("[") ? a + b : `${a}.${b}`) : b) : a);

function resolvePlugin<K extends PluginKind>(
  value: unknown,
  id: string,
  kind: K,
  registry: PluginRegistry,
  issues: ConfigIssue[],
): ResolvedPlugin<K> | undefined {
  let definition: PluginDefinition | undefined;
  let input: unknown;
  if (isPluginSpec(value)) {
    definition = (value as PluginSpec).definition;
    input = value.options;
  } else if (typeof value === "object" && value !== null && typeof (value as { use?: unknown }).use === "string") {
    const { use, ...rest } = value as { use: string };
    definition = registry.get(use);
    if (!definition) {
      const known = [...registry.values()].filter((d) => d.kind === kind).map((d) => d.name);
      const near = known.find((name) => editDistance(name, use) <= 2);
      const hint = near ? `did you mean "${near}"?` : `${kind} plugins: ${known.join(", ") || "none"}`;
      issues.push({ path: id, message: `unknown plugin "${use}"; ${hint}` });
      return undefined;
    }
    input = rest;
  } else {
    issues.push({ path: id, message: `expected a ${kind} plugin, such as ${kind === "sink" ? "consoleSink()" : `{ "use": "..." }`}` });
    return undefined;
  }
  if (definition.kind !== kind) {
    issues.push({ path: id, plugin: definition.name, message: `is a ${definition.kind} plugin, not a ${kind}` });
    return undefined;
  }
  const parsed = definition.schema.safeParse(input ?? {});
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, { path: id, plugin: definition.name }));
    return undefined;
  }
  return { id, definition: definition as PluginDefinition<K>, options: parsed.data, input };
}

function resolvePipeline(name: string, value: unknown, registry: PluginRegistry, issues: ConfigIssue[]): ResolvedPipeline | undefined {
  const base = `pipelines.${name}`;
  if (typeof value !== "object" || value === null) {
    issues.push({ path: base, message: "expected an object with sources and sinks" });
    return undefined;
  }
  const raw = value as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(ROLES), "channel", "flushInterval", "onParseError", "deadletter", "retry"]);
  for (const key of Object.keys(raw)) if (!known.has(key)) issues.push({ path: `${base}.${key}`, message: "unknown setting" });
  const roles = {} as { [R in Role]: ResolvedPlugin<(typeof ROLES)[R]>[] };
  for (const role of Object.keys(ROLES) as Role[]) {
    const list = raw[role] ?? [];
    if (!Array.isArray(list)) {
      issues.push({ path: `${base}.${role}`, message: "expected an array of plugins" });
      continue;
    }
    if ((role === "sources" || role === "sinks") && list.length === 0) issues.push({ path: `${base}.${role}`, message: `expected at least one ${ROLES[role]}` });
    roles[role] = list.flatMap((item, i) => resolvePlugin(item, `${base}.${role}[${i}]`, ROLES[role], registry, issues) ?? []) as never;
  }
  const settings = pipelineSettings.safeParse({ channel: raw.channel, flushInterval: raw.flushInterval, onParseError: raw.onParseError, deadletter: raw.deadletter, retry: raw.retry });
  if (!settings.success) {
    issues.push(...zodIssues(settings.error, { path: base }));
    return undefined;
  }
  const { channel, flushInterval, onParseError, retry } = settings.data;
  const deadletter = settings.data.deadletter ?? `collected_logs/${name}.deadletter.jsonl`;
  return { name, ...roles, capacity: channel.capacity, overflow: channel.overflow, flushIntervalMs: flushInterval, onParseError, deadletter, retry: { initialBackoffMs: retry.initialBackoff, maxBackoffMs: retry.maxBackoff, attemptsOnStop: retry.attemptsOnStop } };
}

/** Refuses two sinks (in any pipelines) that write the same file. */
function checkWriters(config: ResolvedConfig, issues: ConfigIssue[], normalize: (path: string) => string): void {
  const owners = new Map<string, string>();
  for (const p of config.pipelines) if (p.parsers.length > 0 && p.onParseError === "deadletter" && p.deadletter) owners.set(normalize(p.deadletter), `pipelines.${p.name}.deadletter`);
  const all = [...config.pipelines.flatMap((p) => [...p.sources, ...p.sinks]), ...config.services];
  for (const plugin of all) {
    for (const file of plugin.definition.writes?.(plugin.options as never) ?? []) {
      const key = normalize(file);
      const owner = owners.get(key);
      if (owner) issues.push({ path: plugin.id, plugin: plugin.definition.name, message: `writes ${file}, which ${owner} already writes; use one sink for it` });
      else owners.set(key, plugin.id);
    }
  }
}

export interface ValidateOptions {
  registry: PluginRegistry;
  /** Makes paths comparable (resolves them against the config's folder). */
  normalizePath?: (path: string) => string;
}

export function validateConfig(value: unknown, options: ValidateOptions): Result<ResolvedConfig, LogsimError & { kind: "config.invalid" }> {
  const issues: ConfigIssue[] = [];
  const fail = () => err({ kind: "config.invalid" as const, path: "", issues });
  if (typeof value !== "object" || value === null) {
    issues.push({ path: "", message: "the config must export an object (use `export default defineConfig({ ... })`)" });
    return fail();
  }
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!["pipelines", "services", "hookTimeout", "$schema"].includes(key)) issues.push({ path: key, message: "unknown setting" });
  const pipelines: ResolvedPipeline[] = [];
  if (typeof raw.pipelines !== "object" || raw.pipelines === null || Array.isArray(raw.pipelines)) {
    issues.push({ path: "pipelines", message: "expected an object of named pipelines" });
  } else {
    for (const [name, pipeline] of Object.entries(raw.pipelines)) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) issues.push({ path: `pipelines.${name}`, message: "pipeline names may use letters, digits, - and _" });
      const resolved = resolvePipeline(name, pipeline, options.registry, issues);
      if (resolved) pipelines.push(resolved);
    }
  }
  const servicesRaw = raw.services ?? [];
  const services = Array.isArray(servicesRaw)
    ? servicesRaw.flatMap((item, i) => resolvePlugin(item, `services[${i}]`, "service", options.registry, issues) ?? [])
    : (issues.push({ path: "services", message: "expected an array of service plugins" }), []);
  const top = topSettings.safeParse({ hookTimeout: raw.hookTimeout });
  if (!top.success) issues.push(...zodIssues(top.error, { path: "" }));
  const config: ResolvedConfig = { pipelines, services, hookTimeoutMs: top.success ? top.data.hookTimeout : 10_000 };
  checkWriters(config, issues, options.normalizePath ?? ((p) => p));
  return issues.length > 0 ? fail() : ok(config);
}
