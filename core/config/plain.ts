/**
 * The config's plain-data form, in which each plugin is `{ "use": name, ...options }`:
 * its JSON Schema (for editor completion of logsim.config.json) and the
 * redacted view of a resolved config (for `GET /api/config`).
 */
import { z } from "zod";
import type { PluginDefinition, PluginKind } from "../plugin.ts";
import { redact } from "./redact.ts";
import { ROLES, type ResolvedConfig, type ResolvedPlugin } from "./validate.ts";

function pluginVariant(definition: PluginDefinition): z.ZodType {
  const schema = definition.schema;
  const use = z.literal(definition.name).describe(definition.description);
  if (schema instanceof z.ZodObject) return schema.extend({ use });
  return z.object({ use }).loose();
}

function roleSchema(definitions: readonly PluginDefinition[], kind: PluginKind): z.ZodType {
  const variants = definitions.filter((d) => d.kind === kind).map(pluginVariant);
  if (variants.length === 0) return z.array(z.never());
  return z.array(variants.length === 1 ? variants[0]! : z.union(variants as [z.ZodType, z.ZodType, ...z.ZodType[]]));
}

/** JSON Schema (draft 2020-12) of logsim.config.json for the given plugins. */
export function configJsonSchema(definitions: readonly PluginDefinition[]): Record<string, unknown> {
  const pipeline = z.strictObject({
    sources: roleSchema(definitions, "source"),
    parsers: roleSchema(definitions, "parser").optional(),
    transforms: roleSchema(definitions, "transform").optional(),
    sinks: roleSchema(definitions, "sink"),
    channel: z
      .strictObject({
        capacity: z.number().int().positive().optional().describe("Batches held before sources pause (default 16)"),
        overflow: z.enum(["block", "drop-newest"]).optional().describe("block pauses sources; drop-newest drops and counts"),
      })
      .optional(),
    flushInterval: z.union([z.number(), z.string()]).optional().describe("Longest time records wait in a sink buffer (default 100ms)"),
    onParseError: z.enum(["deadletter", "drop", "pass"]).optional().describe("Lines no parser understands: deadletter (default), drop or pass (tagged _parse_error); always counted"),
    deadletter: z.string().optional().describe("The dead-letter JSONL file (default collected_logs/<pipeline>.deadletter.jsonl)"),
    retry: z
      .strictObject({
        initialBackoff: z.union([z.number(), z.string()]).optional().describe("First wait before retrying a failing sink (default 100ms); doubles per attempt"),
        maxBackoff: z.union([z.number(), z.string()]).optional().describe("Longest wait between attempts (default 5s)"),
        attemptsOnStop: z.number().int().min(0).optional().describe("Retries of a sink that starts failing once the pipeline stops (default 5)"),
      })
      .optional()
      .describe("How a failing sink is retried; the other sinks keep writing meanwhile"),
  });
  const config = z.strictObject({
    $schema: z.string().optional(),
    pipelines: z.record(z.string(), pipeline).describe("Named pipelines: sources -> parsers -> transforms -> sinks"),
    services: roleSchema(definitions, "service").optional(),
    hookTimeout: z.union([z.number(), z.string()]).optional().describe("Longest a plugin hook may take (default 10s)"),
  });
  return { title: "logsim config", ...z.toJSONSchema(config, { io: "input", unrepresentable: "any" }) };
}

export { redact } from "./redact.ts";

/** `{ use, ...options }`, read through redact: the options are the user's objects, whose getters may throw. */
const plain = (plugin: ResolvedPlugin) => {
  const options = redact(plugin.input ?? {});
  return { use: plugin.definition.name, ...(typeof options === "object" && options !== null ? options : { options }) };
};

/** The resolved config in plain-data form, secrets redacted. */
export function plainConfig(config: ResolvedConfig): unknown {
  const pipelines = Object.fromEntries(
    config.pipelines.map((p) => [
      p.name,
      {
        ...Object.fromEntries(Object.keys(ROLES).map((role) => [role, p[role as keyof typeof ROLES].map(plain)])),
        channel: { capacity: p.capacity, overflow: p.overflow },
        flushInterval: `${p.flushIntervalMs}ms`,
        retry: { initialBackoff: `${p.retry.initialBackoffMs}ms`, maxBackoff: `${p.retry.maxBackoffMs}ms`, attemptsOnStop: p.retry.attemptsOnStop },
        ...(p.onParseError ? { onParseError: p.onParseError, deadletter: p.deadletter } : {}),
      },
    ]),
  );
  return redact({ pipelines, services: config.services.map(plain), hookTimeout: `${config.hookTimeoutMs}ms` });
}
