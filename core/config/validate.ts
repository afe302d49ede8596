/**
 * Turns what a config file exported into a ResolvedConfig, collecting every
 * problem at once (Astro-style) instead of stopping at the first. The shape
 * and its messages come from schema.ts; this file resolves the plugins in it
 * and gives each its stable id.
 */
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";
import type { ConfigIssue, LogsimError } from "../errors.ts";
import { isPluginSpec, type PluginDefinition, type PluginKind } from "../plugin.ts";
import { defaultIds, idOption } from "./ids.ts";
import { ONCE } from "./once.ts";
import { editDistance, zodIssues } from "./issues.ts";
import { configSchema, ROLES, type pipelineSettings, type Role, type topSettings } from "./schema.ts";

export { editDistance, formatPath, zodIssues } from "./issues.ts";
export { ROLES } from "./schema.ts";

export interface ResolvedPlugin<K extends PluginKind = PluginKind> {
  /** Stable id (config/ids.ts): what state files, metrics, events and the dashboard name it by. */
  id: string;
  /** Where it is in the config, `pipelines.main.sinks[1]`: for messages. */
  location: string;
  definition: PluginDefinition<K>;
  /** Validated options (the schema's output). */
  options: unknown;
  /** The options as written (without `id`), for display. */
  input: unknown;
}

/** Every pipeline setting as parsed (durations in ms), so a new setting reaches the runner with no further edit. */
type PipelineSettings = z.output<typeof pipelineSettings>;

export interface ResolvedPipeline extends PipelineSettings {
  name: string;
  sources: ResolvedPlugin<"source">[];
  parsers: ResolvedPlugin<"parser">[];
  transforms: ResolvedPlugin<"transform">[];
  sinks: ResolvedPlugin<"sink">[];
  capacity: number;
  overflow: "block" | "drop-newest";
  flushIntervalMs: number;
  /** The dead-letter file, for `onParseError: "deadletter"` (its default filled in). */
  deadletter?: string;
}

/** Backoff of a failing sink, in ms, and the retries it gets once the pipeline stops (see PipelineConfig.retry). */
export type RetrySettings = PipelineSettings["retry"];

export interface ResolvedConfig extends z.output<typeof topSettings> {
  pipelines: ResolvedPipeline[];
  services: ResolvedPlugin<"service">[];
  hookTimeoutMs: number;
}

/** Plugins a plain-data (JSON) config can name with `use`. */
export type PluginRegistry = ReadonlyMap<string, PluginDefinition>;

/** A plugin resolved by the schema, before ids and locations (which depend on its neighbours). */
type Unplaced<K extends PluginKind = PluginKind> = Omit<ResolvedPlugin<K>, "id" | "location"> & { explicitId: string | undefined };

/** Whether the plugin's own schema has an `id` option, which then also gets the instance id. */
const declaresId = (schema: z.ZodType) => {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === "object" && shape !== null && "id" in shape;
};

const idSchema = idOption();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

type Report = (issue: Omit<ConfigIssue, "path">) => void;

/** The definition and written options of a TS spec or a JSON `{ use, ...options }`, or a reported problem. */
function lookUp(value: unknown, kind: PluginKind, registry: PluginRegistry, report: Report): { definition: PluginDefinition; written: unknown } | undefined {
  if (isPluginSpec(value)) return { definition: value.definition, written: value.options };
  if (typeof value === "object" && value !== null && typeof (value as { use?: unknown }).use === "string") {
    const { use, ...written } = value as { use: string };
    const definition = registry.get(use);
    if (definition) return { definition, written };
    const known = [...registry.values()].filter((d) => d.kind === kind).map((d) => d.name);
    const near = known.find((name) => editDistance(name, use) <= 2);
    report({ message: `unknown plugin "${use}"; ${near ? `did you mean "${near}"?` : `${kind} plugins: ${known.join(", ") || "none"}`}` });
    return undefined;
  }
  report({ message: `expected a ${kind} plugin, such as ${kind === "sink" ? "consoleSink()" : `{ "use": "..." }`}` });
  return undefined;
}

function resolvePlugin<K extends PluginKind>(value: unknown, kind: K, registry: PluginRegistry, report: Report): Unplaced<K> | undefined {
  const found = lookUp(value, kind, registry, report);
  if (!found) return undefined;
  const { definition } = found;
  const plugin = definition.name;
  if (definition.kind !== kind) return void report({ plugin, message: `is a ${definition.kind} plugin, not a ${kind}` });
  const written = found.written ?? {};
  const { id, ...rest } = isRecord(written) ? written : {};
  // Options that are not an object go to the schema as they are, which says what it expected.
  const input = isRecord(written) ? rest : written;
  const checkedId = id === undefined ? undefined : idSchema.safeParse(id);
  if (checkedId && !checkedId.success) report({ plugin, option: "id", message: checkedId.error.issues[0]!.message });
  const parsed = definition.schema.safeParse(declaresId(definition.schema) ? written : input, ONCE);
  if (!parsed.success) for (const issue of zodIssues(parsed.error, { path: "", plugin }, definition.schema)) report(issue);
  if (!parsed.success || (checkedId && !checkedId.success)) return undefined;
  return { definition: definition as PluginDefinition<K>, options: parsed.data, input, explicitId: checkedId?.data };
}

/** The schema of the config with a resolving entry per plugin: every problem, the plugins' included, in one parse. */
function buildValidationSchema(registry: PluginRegistry) {
  const entry = <K extends PluginKind>(kind: K) =>
    z.unknown().transform((value, ctx): Unplaced<K> => {
      const report: Report = (config) => ctx.addIssue({ code: "custom", message: config.message, params: { config } });
      return resolvePlugin(value, kind, registry, report) ?? z.NEVER;
    });
  return configSchema({ source: entry("source"), parser: entry("parser"), transform: entry("transform"), sink: entry("sink"), service: entry("service") });
}

type ValidationSchema = ReturnType<typeof buildValidationSchema>;
type Parsed = z.output<ValidationSchema>;

// Built once per registry: zod compiles an object schema's parser on its first use.
const schemas = new WeakMap<PluginRegistry, ValidationSchema>();
function validationSchema(registry: PluginRegistry): ValidationSchema {
  let schema = schemas.get(registry);
  if (!schema) schemas.set(registry, (schema = buildValidationSchema(registry)));
  return schema;
}

/** Gives every plugin its location and id: explicit ones as written, the others by name in order (ids.ts). */
function place(parsed: Parsed): ResolvedConfig {
  const nextId = defaultIds();
  const placed = <K extends PluginKind>(list: Unplaced<K>[], scope: string | undefined, at: (i: number) => string): ResolvedPlugin<K>[] =>
    list.map(({ explicitId, ...plugin }, i) => ({ ...plugin, id: explicitId ?? nextId(scope, plugin.definition.name), location: at(i) }));
  const pipelines = Object.entries(parsed.pipelines).map(([name, p]): ResolvedPipeline => {
    const roles = {} as { [R in Role]: ResolvedPlugin<(typeof ROLES)[R]>[] };
    for (const role of Object.keys(ROLES) as Role[]) roles[role] = placed(p[role] as Unplaced[], name, (i) => `pipelines.${name}.${role}[${i}]`) as never;
    const { sources: _s, parsers: _p, transforms: _t, sinks: _k, ...settings } = p;
    const deadletter = settings.deadletter ?? `collected_logs/${name}.deadletter.jsonl`;
    return { ...settings, name, ...roles, capacity: settings.channel.capacity, overflow: settings.channel.overflow, flushIntervalMs: settings.flushInterval, deadletter };
  });
  const { pipelines: _, services, $schema: _schema, ...top } = parsed;
  return { ...top, pipelines, services: placed(services, undefined, (i) => `services[${i}]`), hookTimeoutMs: top.hookTimeout };
}

const allPlugins = (config: ResolvedConfig): ResolvedPlugin[] => [
  ...config.pipelines.flatMap((p) => [...p.sources, ...p.parsers, ...p.transforms, ...p.sinks]),
  ...config.services,
];

/** Refuses an id given to two plugins, naming both places. */
function checkIds(config: ResolvedConfig, issues: ConfigIssue[]): void {
  const owners = new Map<string, string>();
  for (const plugin of allPlugins(config)) {
    const owner = owners.get(plugin.id);
    if (owner) issues.push({ path: plugin.location, plugin: plugin.definition.name, message: `id "${plugin.id}" is already the id of ${owner}; give each plugin its own id` });
    else owners.set(plugin.id, plugin.location);
  }
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
      if (owner) issues.push({ path: plugin.location, plugin: plugin.definition.name, message: `writes ${file}, which ${owner} already writes; use one sink for it` });
      else owners.set(key, plugin.location);
    }
  }
}

export interface ValidateOptions {
  registry: PluginRegistry;
  /** Makes paths comparable (resolves them against the config's folder). */
  normalizePath?: (path: string) => string;
}

/**
 * Validates a config (either form) against its schema and the registry. The checks that need the
 * whole config (unique ids, one writer per file) run once the rest is valid.
 */
export function validateConfig(value: unknown, options: ValidateOptions): Result<ResolvedConfig, LogsimError & { kind: "config.invalid" }> {
  const schema = validationSchema(options.registry);
  const parsed = schema.safeParse(value, ONCE);
  const fail = (issues: ConfigIssue[]) => err({ kind: "config.invalid" as const, path: "", issues });
  if (!parsed.success) return fail(zodIssues(parsed.error, { path: "" }, schema));
  const config = place(parsed.data);
  const issues: ConfigIssue[] = [];
  checkIds(config, issues);
  checkWriters(config, issues, options.normalizePath ?? ((p) => p));
  return issues.length > 0 ? fail(issues) : ok(config);
}
