/**
 * Record filters shared by /api/logs and /api/stream: level (at least), tag,
 * service (a case-insensitive substring, or `=name` for the exact name),
 * pipeline, a plain substring `q`, and an optional regex `re` run by the
 * collector's safe-regex module (linear time; backreferences and lookaround
 * refused), so a hostile pattern cannot block the event loop.
 */
import { compileSafeRegex, err, LEVEL_RANK, normalizeLevel, ok, type LogRecord, type Result } from "../../core/mod.ts";

export interface RecordFilter {
  (record: LogRecord, pipeline: string): boolean;
}

/** Why a filter was refused, and which query parameter the page should mark as invalid. */
export interface FilterError {
  param: keyof FilterQuery;
  message: string;
}

export interface FilterQuery {
  level?: string;
  tag?: string;
  service?: string;
  pipeline?: string;
  q?: string;
  re?: string;
}

/**
 * Bounds on one regex request. The pattern runs on the collector's safe-regex
 * engine (linear time), which refuses patterns whose program is too large
 * (`(\w|\s){1000}!`, ~100 ms per KiB of text on Bun). Linear is still
 * O(program size x text), so the web keeps its own cheap bounds as defence in
 * depth: a pattern length cap, a per-record text cap that bounds one call,
 * and the scan's time budget (ring.ts) checked between records.
 */
const MAX_PATTERN = 200;
const MAX_TEXT = 1024;

/**
 * A service filter: `payment` matches any service whose name contains it, in
 * any case (`payment-service`, `Payments`); `=payment` matches that exact name
 * only, for when a name is also part of others (`api` in `api-gateway`).
 */
export function serviceMatcher(query: string): (service: string | undefined) => boolean {
  if (query.startsWith("=")) {
    const exact = query.slice(1);
    return (service) => service === exact;
  }
  const needle = query.toLowerCase();
  return (service) => service !== undefined && String(service).toLowerCase().includes(needle);
}

/** Compiles a filter from query parameters, or explains what is wrong with them. */
export function compileFilter(query: FilterQuery): Result<RecordFilter, FilterError> {
  const tests: RecordFilter[] = [];
  if (query.level) {
    const level = normalizeLevel(query.level);
    if (!level) return err({ param: "level", message: `unknown level "${query.level}"` });
    const rank = LEVEL_RANK[level];
    tests.push((r) => LEVEL_RANK[r.level] >= rank);
  }
  if (query.tag) {
    const tag = query.tag;
    tests.push((r) => r.tags !== undefined && r.tags.includes(tag));
  }
  if (query.service) {
    const matches = serviceMatcher(query.service);
    tests.push((r) => matches(r.service));
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
    if (query.re.length > MAX_PATTERN) return err({ param: "re", message: `regex refused: longer than ${MAX_PATTERN} characters` });
    // No ReDoS analysis per request (synchronous, up to seconds): what the direct proof does not cover runs on re2js.
    const re = compileSafeRegex(query.re, { ignoreCase: true, analyze: false });
    if (re.isErr()) return err({ param: "re", message: `regex refused: ${re.error}` });
    const safe = re.value;
    tests.push((r) => safe.test(searchText(r).slice(0, MAX_TEXT)));
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
