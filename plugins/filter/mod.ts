/**
 * The `filter` transform: keeps (or drops) the records that match a condition:
 * a regex on the raw line or a field, a field's value, a level.
 * Dropped records are counted on the plugin's `dropped` counter.
 *
 * @example
 * filter({ match: "ERROR|payment" })                   // keep lines that mention either
 * filter({ field: "service", equals: "auth-service", action: "drop" })
 * filter({ minLevel: "WARN" })
 */
import { z } from "zod";
import { checkCondition, compileCondition, conditionShape, definePlugin } from "../../core/mod.ts";

export const filterSchema = z
  .strictObject({
    ...conditionShape,
    action: z.enum(["keep", "drop"], { error: 'expected "keep" or "drop"' }).default("keep").describe("Keep the matching records (and drop the rest), or drop them"),
  })
  .superRefine(checkCondition);

export const filter = definePlugin({
  kind: "transform",
  name: "filter",
  parallel: true,
  description: "Keeps or drops records by regex on the line or a field, by field value, or by level",
  schema: filterSchema,
  create: (options) => {
    const matches = compileCondition(options);
    const keep = options.action === "keep";
    return { transform: (record) => (matches(record) === keep ? record : undefined) };
  },
});
