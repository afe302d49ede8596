/**
 * Which engine each regex of a validated config got, for `logsim validate`: the plugin's schema
 * is walked beside its options as written (a transform's output need not keep the input's
 * shape), and every string under a regex option (regex.ts `regexOption`) is compiled again
 * (the verdicts are cached, so this costs nothing more).
 */
import type { z } from "zod";
import { compileSafeRegex, isRegexOption } from "./regex.ts";

/**
 * One regex of the config: where it is, and its engine and why (or why it is refused).
 *
 * @example
 * const line = (r: RegexEngineReport) => `${r.path}: ${r.engine ?? "refused"} (${r.reason})`;
 */
export interface RegexEngineReport {
  /** Inside the plugin's options: `match`, `rules[1].match`, `patterns[0]`. */
  path: string;
  pattern: string;
  ignoreCase: boolean;
  /** Undefined when the pattern is refused (it is then also a config error). */
  engine: "native" | "re2" | undefined;
  reason: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const MAX_DEPTH = 32;

/**
 * Every regex option in `value` (options as written, that passed `schema`), with its engine.
 *
 * @example
 * const schema = z.strictObject({ match: regexOption(), ignoreCase: z.boolean().default(false) });
 * regexEngines(schema, { match: "(ERROR|WARN)", ignoreCase: false });
 * // [{ path: "match", pattern: "(ERROR|WARN)", ignoreCase: false, engine: "native", reason: "safe: no repetition, at most 2 ways to match" }]
 */
export function regexEngines(schema: z.ZodType, value: unknown): RegexEngineReport[] {
  const found = new Map<string, RegexEngineReport>();
  walk(schema, value, "", false, found, 0);
  return [...found.values()];
}

function walk(schema: z.ZodType, value: unknown, path: string, ignoreCase: boolean, found: Map<string, RegexEngineReport>, depth: number): void {
  if (depth > MAX_DEPTH || value === undefined) return;
  if (isRegexOption(schema)) {
    if (typeof value === "string" && !found.has(path)) found.set(path, report(path, value, ignoreCase));
    return;
  }
  const def = schema.def as unknown as Def;
  const next = (s: z.ZodType | undefined, v: unknown, p = path, i = ignoreCase) => s && walk(s, v, p, i, found, depth + 1);
  switch (def.type) {
    case "object":
      if (!isObject(value) || !def.shape) return;
      for (const [key, field] of Object.entries(def.shape)) next(field, value[key], path ? `${path}.${key}` : key, value.ignoreCase === true);
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((item, i) => next(def.element, item, `${path}[${i}]`));
      return;
    case "tuple":
      if (Array.isArray(value)) def.items?.forEach((item, i) => next(item, value[i], `${path}[${i}]`));
      return;
    case "record":
      if (isObject(value)) for (const [key, item] of Object.entries(value)) next(def.valueType, item, path ? `${path}.${key}` : key);
      return;
    case "union":
      for (const option of def.options ?? []) next(option, value);
      return;
    case "intersection":
      next(def.left, value);
      next(def.right, value);
      return;
    case "pipe":
      return next(def.in, value);
    case "lazy":
      return next(def.getter?.(), value);
    default:
      return next(def.innerType, value);
  }
}

function report(path: string, pattern: string, ignoreCase: boolean): RegexEngineReport {
  const compiled = compileSafeRegex(pattern, { ignoreCase });
  if (compiled.isErr()) return { path, pattern, ignoreCase, engine: undefined, reason: compiled.error };
  return { path, pattern, ignoreCase, engine: compiled.value.engine, reason: compiled.value.reason };
}
