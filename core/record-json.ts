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
    if (f && (Object.hasOwn(f, "__proto__") || "timestamp" in f || "level" in f || "service" in f || "message" in f || "tags" in f || "origin" in f)) {
      return JSON.stringify(recordToJson(record, time));
    }
    // The common case, same output: one object and one stringify. That gives a flat string, where
    // joining stringified parts gives a rope that costs as much again to encode (JSC), and
    // Object.assign is safe here: no field can overwrite a key above or set the prototype.
    const out: Record<string, unknown> = { timestamp: time(record.time), level: record.level, service: record.service, message: record.message };
    if (f) Object.assign(out, f);
    if (record.tags && record.tags.length > 0) out.tags = record.tags;
    if (record.origin) out.origin = record.origin;
    return JSON.stringify(out);
  };
}
