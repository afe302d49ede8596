import { err, ok, okAsync, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { loadConfigPlugins } from "../../core/config/load.ts";
import type { PluginRegistry } from "../../core/config/validate.ts";
import type { LogsimError } from "../../core/errors.ts";
import { idOption } from "../../core/config/ids.ts";
import { pipelineSchema, topSettings } from "../../core/config/schema.ts";
import type { PluginDefinition } from "../../core/plugin.ts";
import type { Runtime } from "../../core/runtime.ts";
import { configOption, type Command } from "./command.ts";

interface JsonSchemaProperty {
  /** A name for the type, where it has one (`plugin`). */
  title?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchemaProperty[];
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchemaProperty>;
  additionalProperties?: JsonSchemaProperty | boolean;
  items?: JsonSchemaProperty;
}

function typeOf(p: JsonSchemaProperty): string {
  if (p.title) return p.title;
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (p.anyOf) return [...new Set(p.anyOf.map(typeOf))].join(" | ");
  if (p.type === "array" && p.items) {
    const item = typeOf(p.items);
    return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
  }
  if (p.type === "object" && !p.properties && typeof p.additionalProperties === "object") return `{ [name]: ${typeOf(p.additionalProperties)} }`;
  return Array.isArray(p.type) ? p.type.join(" | ") : (p.type ?? "any");
}

/** The fields of an object option (or of the object variant of a union such as `object | false`). */
const fieldsOf = (p: JsonSchemaProperty) => p.properties ?? p.anyOf?.find((v) => v.properties)?.properties;

/** One line per option (`name: type = default`, then its description), nested options as `parent.name`. */
function optionLines(properties: Record<string, JsonSchemaProperty>, prefix = ""): string[] {
  return Object.entries(properties).flatMap(([name, prop]) => {
    const fallback = prop.default === undefined ? "" : ` = ${JSON.stringify(prop.default)}`;
    const fields = fieldsOf(prop);
    return [
      `  ${prefix}${name}: ${typeOf(prop)}${fallback}`,
      ...(prop.description ? [`      ${prop.description}`] : []),
      ...(fields ? optionLines(fields, `${prefix}${name}.`) : []),
    ];
  });
}

const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonSchemaProperty> };

/** The `id` option every plugin takes; a plugin that declares `id` itself (the generator) also receives it. */
function idProperty(own: JsonSchemaProperty | undefined): JsonSchemaProperty {
  const framework = inputSchema(z.object({ id: idOption() })).properties!.id!;
  return own?.description ? { ...framework, description: `${framework.description}; here also: ${own.description}` } : framework;
}

/** One plugin's name, kind, description and options (type, default, description), from its schema, the `id` option first. */
export function describePlugin(definition: PluginDefinition): string {
  const { id, ...options } = inputSchema(definition.schema).properties ?? {};
  return [`${definition.name} (${definition.kind}): ${definition.description}`, ...optionLines({ id: idProperty(id), ...options })].join("\n");
}

/** The settings of a pipeline and of the config, from the config's schema (schema.ts). */
export function describeSettings(): string {
  const entry = (kind: string) => z.any().meta({ title: `${kind}-plugin` });
  const roles = { source: entry("source"), parser: entry("parser"), transform: entry("transform"), sink: entry("sink"), service: entry("service") };
  const pipeline = inputSchema(pipelineSchema(roles)).properties ?? {};
  return [
    "pipelines.<name> (pipeline): sources -> parsers -> transforms -> sinks",
    ...optionLines(pipeline),
    "",
    "top-level settings (beside pipelines and services)",
    ...optionLines(inputSchema(topSettings).properties ?? {}),
  ].join("\n");
}

/** The built-ins, and with `--config` the plugins that config loads from modules. */
export function registryWithConfig(runtime: Runtime, builtins: PluginRegistry, config: string | undefined): ResultAsync<PluginRegistry, LogsimError> {
  return config === undefined ? okAsync(builtins) : loadConfigPlugins(runtime, builtins, config).map((loaded) => loaded.registry);
}

export const pluginsCommand: Command = {
  name: "plugins",
  summary: "List the pipeline settings and the plugins with their options, defaults and descriptions",
  details: 'Name plugins to show only those (logsim plugins tail jsonl), or `settings` for the pipeline and top-level settings. With --config, also the plugins that config names by module ({ "use": "./plugins/x.ts" }, a package, jsr:), listed under that name.',
  options: { config: { ...configOption, description: "Also list the plugins this config loads from files and packages" } },
  async run({ positionals, values }, { runtime, registry: builtins }) {
    const loaded = await registryWithConfig(runtime, builtins, values.config as string | undefined);
    if (loaded.isErr()) return err(loaded.error);
    const registry = loaded.value;
    const wanted = positionals.length ? positionals : ["settings", ...registry.keys()];
    const unknown = wanted.filter((name) => name !== "settings" && !registry.has(name));
    if (unknown.length) return ok((await runtime.stderr.write(`Unknown plugin: ${unknown.join(", ")}\n`), 1));
    const describe = (use: string) => (use === "settings" && !registry.has(use) ? describeSettings() : (builtins.has(use) ? "" : `${use}: `) + describePlugin(registry.get(use)!));
    await runtime.stdout.write(`${wanted.map(describe).join("\n\n")}\n`);
    return ok(0);
  },
};
