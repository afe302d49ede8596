/**
 * The config's plain-data form, in which each plugin is `{ "use": name, ...options }`:
 * its JSON Schema (for editor completion of logsim.config.json) and the
 * redacted view of a resolved config (for `GET /api/config`).
 */
import { z } from "zod";
import type { PluginDefinition, PluginKind } from "../plugin.ts";
import { isDuration } from "./fields.ts";
import { idOption } from "./ids.ts";
import { redact } from "./redact.ts";
import { configSchema, pipelineSettings, ROLES, topSettings } from "./schema.ts";
import type { ResolvedConfig, ResolvedPlugin } from "./validate.ts";

/** `{ "use": name, "id"?: ..., ...options }` for one plugin. */
function pluginVariant(definition: PluginDefinition): z.ZodType {
  const schema = definition.schema;
  const common = { use: z.literal(definition.name).describe(definition.description), id: idOption().optional() };
  // safeExtend: a schema with refinements (the generator's) may not be extended, and the generator declares `id` too.
  if (schema instanceof z.ZodObject) return schema.safeExtend(common);
  return z.object(common).loose();
}

function pluginEntry(definitions: readonly PluginDefinition[], kind: PluginKind): z.ZodType {
  const variants = definitions.filter((d) => d.kind === kind).map(pluginVariant);
  if (variants.length === 0) return z.never();
  return variants.length === 1 ? variants[0]! : z.union(variants as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** JSON Schema (draft 2020-12) of logsim.config.json for the given plugins, generated from the config's zod schema. */
export function configJsonSchema(definitions: readonly PluginDefinition[]): Record<string, unknown> {
  const entry = (kind: PluginKind) => pluginEntry(definitions, kind);
  const config = configSchema({ source: entry("source"), parser: entry("parser"), transform: entry("transform"), sink: entry("sink"), service: entry("service") });
  return { title: "logsim config", ...z.toJSONSchema(config, { io: "input", unrepresentable: "any" }) };
}

export { redact } from "./redact.ts";

/** `{ use, id, ...options }`, read through redact: the options are the user's objects, whose getters may throw. */
const plain = (plugin: ResolvedPlugin) => {
  const options = redact(plugin.input ?? {});
  return { use: plugin.definition.name, id: plugin.id, ...(typeof options === "object" && options !== null ? options : { options }) };
};

/** The object schema under `.default`, `.optional` and the like, if `schema` is one. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    current = (current as { _zod?: { def?: { innerType?: unknown } } })._zod?.def?.innerType;
  }
  return undefined;
}

/**
 * Every setting of `shape` as resolved, durations (nested ones too) written back as `"<ms>ms"`:
 * the plain view must read the same when validated again, and a bare number would be seconds.
 */
export function plainSettings(shape: Record<string, z.ZodType>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(shape)) {
    const value = values[key];
    const nested = objectShape(setting);
    if (value === undefined) continue;
    if (isDuration(setting) && typeof value === "number") out[key] = `${value}ms`;
    else if (nested && typeof value === "object" && value !== null) out[key] = plainSettings(nested, value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

/** The resolved config in plain-data form (ids and defaults filled in), secrets redacted. */
export function plainConfig(config: ResolvedConfig): unknown {
  const pipelines = Object.fromEntries(
    config.pipelines.map((p) => {
      const roles = Object.fromEntries(Object.keys(ROLES).map((role) => [role, p[role as keyof typeof ROLES].map(plain)]));
      return [p.name, { ...roles, ...plainSettings(pipelineSettings.shape, p as unknown as Record<string, unknown>) }];
    }),
  );
  return redact({ pipelines, services: config.services.map(plain), ...plainSettings(topSettings.shape, config as unknown as Record<string, unknown>) });
}
