/**
 * CSV (RFC 4180): a fixed header row, written at the top of every file (also
 * after rotation, by the file writer), then one row per record. Fields the
 * header does not name go, as a JSON object, into the last column `extra`.
 *
 * A cell holding a comma, a quote or a line break is quoted, quotes doubled;
 * a line break stays in the quoted cell, so such a record spans lines (the
 * csv parser reads it whole when handed the lines joined, as a multiline
 * source does). Values are written as they are: a cell starting with `=`,
 * `+`, `-` or `@` is not defused for spreadsheets (no `'` prefix), since the
 * file is data for log pipelines and must read back exactly; import it into
 * a spreadsheet as text.
 *
 * @example
 * timestamp,level,service,message,generator,seq,event,user_id,session_token,request_id,trace_id,method,path,status,latency_ms,extra
 * 2026-11-23T10:00:00.123Z,INFO,payment-service,Payment authorized,gen,42,session.payment,u-1042,9f2c…,r-77…,4bf9…,POST,/payments,200,85,"{""amount"":129.9,""attempt"":1}"
 */
import { isoTimeFormatter } from "../template.ts";
import type { LineFormat } from "../line-format.ts";
import type { LogRecord } from "../types.ts";
import { plainValue } from "./_values.ts";

/** The columns taken from fields, in header order. */
export const CSV_FIELD_COLUMNS = ["generator", "seq", "event", "user_id", "session_token", "request_id", "trace_id", "method", "path", "status", "latency_ms"] as const;
/**
 * The csv format's columns, in header order: the record's keys, the generator's usual fields, then `extra`.
 *
 * @example
 * const header = CSV_COLUMNS.join(","); // "timestamp,level,service,message,generator,..."
 */
export const CSV_COLUMNS = ["timestamp", "level", "service", "message", ...CSV_FIELD_COLUMNS, "extra"] as const;

const SPECIAL = /[",\r\n]/;

/** One RFC 4180 cell: quoted (with doubled quotes) when it holds a comma, quote or line break. */
export function csvCell(text: string): string {
  return SPECIAL.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMN_SET = new Set<string>(CSV_FIELD_COLUMNS);

/** The csv line format (see the module comment). */
export function csvFormat(): LineFormat {
  const time = isoTimeFormatter();
  return {
    header: CSV_COLUMNS.join(","),
    format(record: LogRecord): string {
      const f = record.fields ?? {};
      let line = `${time(record.time)},${record.level},${csvCell(record.service ?? "")},${csvCell(record.message)}`;
      for (const name of CSV_FIELD_COLUMNS) line += `,${csvCell(plainValue(f[name]))}`;
      let extra: Record<string, unknown> | undefined;
      for (const key in f) {
        if (COLUMN_SET.has(key)) continue;
        (extra ??= {})[key] = f[key];
      }
      if (record.tags && record.tags.length > 0) (extra ??= {}).tags = record.tags;
      return `${line},${extra ? csvCell(JSON.stringify(extra)) : ""}`;
    },
  };
}
