/**
 * Zod issues as ConfigIssues: one per problem, unknown keys one per key with a
 * "did you mean" when a known key is close, messages in logsim's words.
 */
import type { z } from "zod";
import type { ConfigIssue } from "../errors.ts";

/** Formats a zod path (`["rules", 0, "match"]`) as `rules[0].match`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
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

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas found at `path` inside `schema` (several under a union). */
function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): Array<Record<string, z.ZodType>> {
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner) return objectsAt(inner, path);
  if (def.type === "union") return (def.options ?? []).flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return def.shape ? [def.shape] : [];
  const [head, ...rest] = path;
  if (def.shape && typeof head === "string" && def.shape[head]) return objectsAt(def.shape[head], rest);
  if (def.type === "array" && typeof head === "number" && def.element) return objectsAt(def.element, rest);
  if (def.type === "record" && def.valueType) return objectsAt(def.valueType, rest);
  return [];
}

/** `; did you mean "flushInterval"?` when one known key is close to an unknown one. */
function hint(schema: z.ZodType | undefined, path: readonly PropertyKey[], key: string): string {
  if (!schema) return "";
  const known = objectsAt(schema, path).flatMap((shape) => Object.keys(shape));
  const near = known.filter((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= Math.min(2, Math.floor(name.length / 3)));
  return near.length > 0 ? `; did you mean "${near[0]}"?` : "";
}

/** Where an issue belongs: in the config (`path`) or inside a plugin's options (`path plugin > option`). */
export interface IssueBase {
  path: string;
  plugin?: string;
}

/**
 * One ConfigIssue per zod issue, unknown keys split one per key. `schema` (the one that was
 * parsed) lets unknown keys get a "did you mean"; issues a resolver stamped with
 * `params.config` (a ConfigIssue relative to the issue's path) keep their plugin and option.
 */
export function zodIssues(error: z.ZodError, base: IssueBase, schema?: z.ZodType): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const join = (a: string, b: string | undefined) => (b ? (a ? (b.startsWith("[") ? a + b : `${a}.${b}`) : b) : a);
  const push = (path: readonly PropertyKey[], message: string) => {
    const option = formatPath(path) || undefined;
    issues.push(base.plugin ? { ...base, option, message } : { path: join(base.path, option), message });
  };
  for (const issue of error.issues) {
    const stamped = issue.code === "custom" ? (issue.params?.config as Omit<ConfigIssue, "path"> | undefined) : undefined;
    if (stamped) issues.push({ ...stamped, path: join(base.path, formatPath(issue.path)) });
    else if (issue.code === "unrecognized_keys") for (const key of issue.keys) push([...issue.path, key], `unknown ${base.plugin ? "option" : "setting"}${hint(schema, issue.path, key)}`);
    else if (issue.code === "invalid_key") push(issue.path, issue.issues[0]?.message ?? issue.message);
    else push(issue.path, issue.message);
  }
  return issues;
}
