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
    // Fast path, same output: the parts are stringified and joined instead of building one more
    // object per record (2x faster on V8, 1.2x on JSC). The time is ISO: no escaping needed.
    if (!f || !("timestamp" in f || "level" in f || "service" in f || "message" in f || "tags" in f || "origin" in f)) {
      let s = `{"timestamp":"${time(record.time)}","level":${JSON.stringify(record.level)}`;
      if (record.service !== undefined) s += `,"service":${JSON.stringify(record.service)}`;
      if (record.message !== undefined) s += `,"message":${JSON.stringify(record.message)}`;
      const body = f ? JSON.stringify(f) : "{}";
      if (body.length > 2) s += `,${body.slice(1, -1)}`;
      if (record.tags && record.tags.length > 0) s += `,"tags":${JSON.stringify(record.tags)}`;
      if (record.origin) s += `,"origin":${JSON.stringify(record.origin)}`;
      return `${s}}`;
    }
    return JSON.stringify(recordToJson(record, time));
  };
}
