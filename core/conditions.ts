/**
 * A declarative condition on a record, shared by `filter` and `tag`: a regex
 * on the raw line or on a field, a field's value, a level. All given parts must hold.
 */
import { z } from "zod";
import { level } from "./config/fields.ts";
import { LEVEL_RANK, type Level, type LogRecord } from "./types.ts";
import { compileSafeRegex, regexOption } from "./regex.ts";

/**
 * The options of a condition on a record, to spread into a plugin's schema: all given parts must hold.
 *
 * @example
 * const schema = z.strictObject({ ...conditionShape, tag: z.string() }).superRefine(checkCondition);
 * // in create(options): const matches = compileCondition(options);
 * // transform: (record) => (matches(record) ? { ...record, tags: [...(record.tags ?? []), options.tag] } : record)
 */
export const conditionShape = {
  match: regexOption().optional().describe("Regular expression searched in `field` (default: the raw line, or the message)"),
  field: z.string().min(1).optional().describe("message, level, service, raw, tags, or a field name (dots reach into objects)"),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional().describe("The field (required with it) equals this value"),
  levels: z.array(level()).min(1).optional().describe("The record's level is one of these"),
  minLevel: level().optional().describe("The record's level is at least this"),
  ignoreCase: z.boolean().default(false).describe("Case-insensitive `match`"),
};

const conditionObject = z.object(conditionShape);
/**
 * A condition's validated options.
 *
 * @example
 * const onlyErrors: ConditionOptions = { minLevel: "ERROR", ignoreCase: false };
 */
export type ConditionOptions = z.output<typeof conditionObject>;

/** Does the condition test anything at all? */
export const hasCondition = (o: Partial<ConditionOptions>) => o.match !== undefined || o.equals !== undefined || o.levels !== undefined || o.minLevel !== undefined;

/**
 * The checks every condition needs, for a schema whose object spreads `conditionShape`: use it as the schema's superRefine.
 *
 * @example
 * const schema = z.strictObject({ ...conditionShape, tag: z.string() }).superRefine(checkCondition);
 * // in create(options): const matches = compileCondition(options);
 * // transform: (record) => (matches(record) ? { ...record, tags: [...(record.tags ?? []), options.tag] } : record)
 */
export function checkCondition(o: Partial<ConditionOptions>, ctx: z.RefinementCtx): void {
  if (!hasCondition(o)) ctx.addIssue({ code: "custom", message: "give at least one of match, equals, levels, minLevel" });
  if (o.equals !== undefined && o.field === undefined) ctx.addIssue({ code: "custom", message: "equals needs a field", path: ["equals"] });
}

/** The value of a field by name, as the user sees it in the collected entry. */
export function fieldOf(record: LogRecord, name: string): unknown {
  switch (name) {
    case "raw":
      return record.raw ?? record.message;
    case "message":
      return record.message;
    case "level":
      return record.level;
    case "service":
      return record.service;
    case "tags":
      return record.tags?.join(",");
  }
  const fields = record.fields;
  if (!fields) return undefined;
  if (name in fields) return fields[name];
  let value: unknown = fields;
  for (const part of name.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** fieldOf for one name, chosen once: the record's own keys are read directly, without a switch per record. */
function fieldReader(name: string): (record: LogRecord) => unknown {
  switch (name) {
    case "message":
      return (r) => r.message;
    case "level":
      return (r) => r.level;
    case "service":
      return (r) => r.service;
  }
  return (r) => fieldOf(r, name);
}

const asText = (value: unknown) => (value === undefined || value === null ? undefined : typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));

/**
 * Compiles options into a predicate. Options must have passed their schema (the regex is known to be safe).
 *
 * @example
 * const schema = z.strictObject({ ...conditionShape, tag: z.string() }).superRefine(checkCondition);
 * // in create(options): const matches = compileCondition(options);
 * // transform: (record) => (matches(record) ? { ...record, tags: [...(record.tags ?? []), options.tag] } : record)
 */
export function compileCondition(o: ConditionOptions): (record: LogRecord) => boolean {
  const checks: Array<(r: LogRecord) => boolean> = [];
  const field = o.field ?? "raw";
  if (o.match !== undefined) {
    const re = compileSafeRegex(o.match, { ignoreCase: o.ignoreCase })._unsafeUnwrap();
    // The raw line (the default) is always text: no field lookup per record.
    if (field === "raw") checks.push((r) => re.test(r.raw ?? r.message));
    else if (field === "message") checks.push((r) => re.test(r.message));
    else {
      const read = fieldReader(field);
      checks.push((r) => {
        const text = asText(read(r));
        return text !== undefined && re.test(text);
      });
    }
  }
  if (o.equals !== undefined) {
    const want = o.equals;
    const wanted = String(want);
    const read = fieldReader(field);
    checks.push((r) => {
      const value = read(r);
      // Same type: one comparison (a service, a level); else as text ("200" equals 200).
      return value === want || (typeof value !== typeof want && value !== undefined && value !== null && String(value) === wanted);
    });
  }
  if (o.levels) {
    const set = new Set<Level>(o.levels);
    checks.push((r) => set.has(r.level));
  }
  if (o.minLevel) {
    const min = LEVEL_RANK[o.minLevel];
    checks.push((r) => LEVEL_RANK[r.level] >= min);
  }
  if (checks.length === 1) return checks[0]!;
  return (r) => checks.every((check) => check(r));
}
