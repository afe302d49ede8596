/**
 * logfmt: `key=value` pairs, `time`, `level` (lower case), `service` and `msg`
 * first, then every field. Values are bare, or JSON string literals when they
 * hold spaces, quotes, `=` or control characters.
 *
 * @example
 * time=2026-11-23T10:00:00.123Z level=info service=payment-service msg="Payment authorized" generator=gen seq=42 user_id=u-1042 latency_ms=85
 */
import { isoTimeFormatter } from "../template.ts";
import type { LineFormat } from "../line-format.ts";
import type { Level, LogRecord } from "../types.ts";
import { kvValue } from "./_values.ts";

const LOWER: Record<Level, string> = { DEBUG: "debug", INFO: "info", WARN: "warn", ERROR: "error", FATAL: "fatal" };

export function logfmtFormat(): LineFormat {
  const time = isoTimeFormatter();
  return {
    format(record: LogRecord): string {
      let line = `time=${time(record.time)} level=${LOWER[record.level]}`;
      if (record.service !== undefined) line += ` service=${kvValue(record.service)}`;
      line += ` msg=${kvValue(record.message)}`;
      const f = record.fields;
      if (f) for (const key in f) if (f[key] !== undefined) line += ` ${key}=${kvValue(f[key])}`;
      if (record.tags && record.tags.length > 0) line += ` tags=${kvValue(record.tags.join(","))}`;
      return line;
    },
  };
}
