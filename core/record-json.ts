import { isoTimeFormatter } from "./template.ts";
import type { LogRecord } from "./types.ts";

/**
 * The JSON shape of a record, shared by the jsonl sink, the json format and
 * the web API: `timestamp`, `level`, `service`, `message`, then the fields,
 * then `tags` and `origin` when present.
 */
export function recordToJson(record: LogRecord, formatTime: (ms: number) => string = defaultTime): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: formatTime(record.time), level: record.level };
  if (record.service !== undefined) out.service = record.service;
  out.message = record.message;
  const fields = record.fields;
  // Own-key checks and defineProperty: a "__proto__" field (log content is untrusted) stays a field.
  if (fields) for (const key of Object.keys(fields)) if (!Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: fields[key], enumerable: true, writable: true, configurable: true });
  if (record.tags && record.tags.length > 0) out.tags = record.tags;
  if (record.origin) out.origin = record.origin;
  return out;
}

const defaultTime = isoTimeFormatter();

/** A formatter that turns records into JSON lines (no trailing newline), with its own time cache. */
export function jsonLineFormatter(): (record: LogRecord) => string {
  const time = isoTimeFormatter();
  return (record) => {
    const f = record.fields;
    // Fast path, same output: an object literal with a spread is cheaper to build than key-by-key copies
    // (JSON.stringify leaves out the undefined service, tags and origin, as recordToJson does).
    if (!f || !("timestamp" in f || "level" in f || "service" in f || "message" in f || "tags" in f || "origin" in f)) {
      const tags = record.tags && record.tags.length > 0 ? record.tags : undefined;
      return JSON.stringify({ timestamp: time(record.time), level: record.level, service: record.service, message: record.message, ...f, tags, origin: record.origin });
    }
    return JSON.stringify(recordToJson(record, time));
  };
}
