import { ok } from "neverthrow";
import { z } from "zod";
import type { PluginDefinition } from "../../core/plugin.ts";
import type { Command } from "./command.ts";

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchemaProperty[];
  default?: unknown;
  description?: string;
}

function typeOf(p: JsonSchemaProperty): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (p.anyOf) return [...new Set(p.anyOf.map(typeOf))].join(" | ");
  return Array.isArray(p.type) ? p.type.join(" | ") : (p.type ?? "any");
}

/** One plugin's name, kind, description and options (type, default, description), from its schema. */
export function describePlugin(definition: PluginDefinition): string {
  const schema = z.toJSONSchema(definition.schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonSchemaProperty> };
  const lines = [`${definition.name} (${definition.kind}): ${definition.description}`];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const fallback = prop.default === undefined ? "" : ` = ${JSON.stringify(prop.default)}`;
    lines.push(`  ${name}: ${typeOf(prop)}${fallback}`);
    if (prop.description) lines.push(`      ${prop.description}`);
  }
  return lines.join("\n");
}

export const pluginsCommand: Command = {
  name: "plugins",
  summary: "List the plugins with their options, defaults and descriptions",
  options: {},
  async run({ positionals }, { runtime, registry }) {
    const wanted = positionals.length ? positionals : [...registry.keys()];
    const unknown = wanted.filter((name) => !registry.has(name));
    if (unknown.length) return ok((await runtime.stderr.write(`Unknown plugin: ${unknown.join(", ")}\n`), 1));
    await runtime.stdout.write(`${wanted.map((name) => describePlugin(registry.get(name)!)).join("\n\n")}\n`);
    return ok(0);
  },
};
