/** Creates a plugin instance from what its factory returned, the way the runner does: options validated by the plugin's schema. */
import type { z } from "zod";
import type { InstanceOf, PluginKind, PluginSpec } from "../core/mod.ts";
import { zodIssues } from "../core/config/validate.ts";
import { formatIssue } from "../core/errors.ts";
import type { TestContext } from "./context.ts";

/** Thrown when the options given to a plugin under test do not pass its schema: one line per problem. */
export class PluginOptionsError extends Error {
  override readonly name = "PluginOptionsError";
}

/**
 * Validates `spec`'s options with the plugin's schema and calls its `create` with the test context.
 *
 * @example
 * const sink = await instantiate(jsonl({ path: "out.jsonl" }), await createTestContext());
 */
export async function instantiate<K extends PluginKind>(spec: PluginSpec<K>, test: TestContext): Promise<InstanceOf[K]> {
  const definition = spec.definition;
  // The `id` option is the framework's (a plugin whose schema declares one receives it too), as in a config.
  const written = (spec.options ?? {}) as Record<string, unknown>;
  const shape = (definition.schema as { shape?: Record<string, unknown> }).shape;
  const id = typeof written === "object" && written !== null && typeof written.id === "string" ? written.id : undefined;
  const options = id !== undefined && !(shape && "id" in shape) ? Object.fromEntries(Object.entries(written).filter(([key]) => key !== "id")) : written;
  const parsed = (definition.schema as z.ZodType).safeParse(options);
  if (!parsed.success) {
    const lines = zodIssues(parsed.error, { path: test.ctx.id, plugin: definition.name }).map(formatIssue);
    throw new PluginOptionsError(lines.join("\n"));
  }
  const ctx = id === undefined ? test.ctx : { ...test.ctx, id };
  return (await definition.create(parsed.data as never, ctx)) as InstanceOf[K];
}
