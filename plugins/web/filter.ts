/**
 * Record filters shared by /api/logs and /api/stream: level (at least), tag,
 * service, a plain substring `q`, and an optional regex `re` that is refused
 * when it could backtrack catastrophically.
 */
import { err, ok, type Result } from "neverthrow";
import { normalizeLevel } from "../../core/config/fields.ts";
import { LEVEL_RANK, type LogRecord } from "../../core/types.ts";

export interface RecordFilter {
  (record: LogRecord, pipeline: string): boolean;
}

export interface FilterQuery {
  level?: string;
  tag?: string;
  service?: string;
  pipeline?: string;
  q?: string;
  re?: string;
}

/** Longest pattern, and longest text a regex is run on: bounds the work per record even for a safe pattern. */
export const MAX_PATTERN = 200;
export const MAX_TEXT = 1024;
/**
 * An unanchored search already tries every start, and each repetition multiplies
 * the worst case by the text length: one keeps it quadratic in MAX_TEXT (about
 * half a million steps, a millisecond or so, per record).
 */
const MAX_QUANTIFIERS = 1;

/**
 * Refuses patterns that a backtracking engine can take exponential time on:
 * backreferences, lookaround, and quantified groups that contain a quantifier
 * or an alternation (star height > 1, `(a|a)*`), and more than one repetition.
 * What remains is at worst quadratic in the text, which is capped at MAX_TEXT,
 * and scans over many records also stop at a time budget (see ring.ts).
 * Returns the reason when refused.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return "backreferences are not allowed";
  if (/\(\?<?[=!]/.test(pattern)) return "lookaround is not allowed";
  // Walk the groups: a group that holds a quantifier or `|` may not itself be quantified.
  const stack: Array<{ risky: boolean }> = [{ risky: false }];
  let inClass = false;
  let quantifiers = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push({ risky: false });
    else if (c === "|") stack[stack.length - 1]!.risky = true;
    else if (c === "*" || c === "+" || c === "{" || (c === "?" && pattern[i - 1] !== "(")) {
      stack[stack.length - 1]!.risky = true;
      if (c !== "?" && ++quantifiers > MAX_QUANTIFIERS) return `at most ${MAX_QUANTIFIERS} repetition (*, +, {n,m}) is allowed`;
    } else if (c === ")") {
      const group = stack.pop();
      if (!group || stack.length === 0) return "unbalanced parentheses";
      const next = pattern[i + 1];
      const quantified = next === "*" || next === "+" || next === "{" || next === "?";
      if (group.risky && quantified) return "a repeated group may not contain a quantifier or an alternation";
      if (group.risky) stack[stack.length - 1]!.risky = true;
    }
  }
  if (stack.length !== 1) return "unbalanced parentheses";
  return undefined;
}

/** Compiles a filter from query parameters, or explains what is wrong with them. */
export function compileFilter(query: FilterQuery): Result<RecordFilter, string> {
  const tests: RecordFilter[] = [];
  if (query.level) {
    const level = normalizeLevel(query.level);
    if (!level) return err(`unknown level "${query.level}"`);
    const rank = LEVEL_RANK[level];
    tests.push((r) => LEVEL_RANK[r.level] >= rank);
  }
  if (query.tag) {
    const tag = query.tag;
    tests.push((r) => r.tags !== undefined && r.tags.includes(tag));
  }
  if (query.service) {
    const service = query.service;
    tests.push((r) => r.service === service);
  }
  if (query.pipeline) {
    const pipeline = query.pipeline;
    tests.push((_, p) => p === pipeline);
  }
  if (query.q) {
    const q = query.q.toLowerCase();
    tests.push((r) => searchText(r).toLowerCase().includes(q));
  }
  if (query.re) {
    const reason = unsafeRegexReason(query.re);
    if (reason) return err(`regex refused: ${reason}`);
    let re: RegExp;
    try {
      re = new RegExp(query.re, "i");
    } catch (cause) {
      return err(`invalid regex: ${(cause as Error).message}`);
    }
    tests.push((r) => re.test(searchText(r).slice(0, MAX_TEXT)));
  }
  if (tests.length === 0) return ok(() => true);
  return ok((record, pipeline) => tests.every((t) => t(record, pipeline)));
}

/** What `q` and `re` search: the message, the service and the fields' values. */
function searchText(record: LogRecord): string {
  if (!record.fields) return record.service ? `${record.message} ${record.service}` : record.message;
  let text = record.message;
  if (record.service) text += ` ${record.service}`;
  for (const key in record.fields) {
    const value = record.fields[key];
    text += ` ${key}=${typeof value === "string" ? value : JSON.stringify(value)}`;
  }
  return text;
}
