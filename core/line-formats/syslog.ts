/**
 * Syslog, RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`.
 * PRI is facility local0 (16) * 8 + severity (DEBUG 7, INFO 6, WARN 4,
 * ERROR 3, FATAL 2); APP-NAME is the service; MSGID the field `event`;
 * HOSTNAME the field `host` (header fields hold printable ASCII only: other
 * characters become `_`, and they are cut to the RFC's lengths); every field
 * travels as a parameter of one structured-data element `logsim@32473`.
 *
 * A record is one line. In a parameter value `"`, `\` and `]` are escaped with
 * a backslash (RFC 5424 6.3.3), and line breaks as `\n` and `\r`: unambiguous,
 * since a backslash of the value is `\\`, though a reader that knows only the
 * RFC reads them as the two characters. In the message, which has no escapes
 * of its own, control characters other than tab are written as rsyslog does
 * (`$EscapeControlCharactersOnReceive`): `#` and three octal digits, a line
 * feed as `#012`, a carriage return as `#015`.
 *
 * @example
 * <134>1 2026-11-23T10:00:00.123Z - payment-service - session.payment [logsim@32473 generator="gen" seq="42" user_id="u-1042" latency_ms="85"] Payment authorized
 */
import { isoTimeFormatter } from "../template.ts";
import type { LineFormat } from "../line-format.ts";
import type { Level, LogRecord } from "../types.ts";
import { plainValue } from "./_values.ts";

/**
 * The facility of the syslog format's lines: local0 (16). PRI = facility * 8 + severity.
 *
 * @example
 * const pri = SYSLOG_FACILITY * 8 + SYSLOG_SEVERITY[record.level]; // 134 for INFO
 */
export const SYSLOG_FACILITY = 16;
/** The SD-ID of the structured data holding a record's fields. */
export const SYSLOG_SD_ID = "logsim@32473";
/**
 * The RFC 5424 severity of each level (DEBUG 7 ... FATAL 2).
 *
 * @example
 * SYSLOG_SEVERITY.WARN; // 4
 */
export const SYSLOG_SEVERITY: Readonly<Record<Level, number>> = { DEBUG: 7, INFO: 6, WARN: 4, ERROR: 3, FATAL: 2 };

/** PRINTUSASCII without the characters a header field cannot hold; nil ("-") when empty. */
function headerField(value: unknown, max: number): string {
  if (value === undefined || value === null || value === "") return "-";
  const text = String(value).replace(/[^\x21-\x7e]/g, "_");
  return text.length > max ? text.slice(0, max) : text;
}

const PARAM_NAME_BAD = /[^\x21-\x7e]|[= \]"]/g;
const paramName = (key: string) => (/^[\x21-\x7e]{1,32}$/.test(key) && !/[= \]"]/.test(key) ? key : key.replace(PARAM_NAME_BAD, "_").slice(0, 32) || "_");
const PARAM_VALUE_SPECIAL = /["\\\]\r\n]/;
const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "]": "\\]", "\n": "\\n", "\r": "\\r" };
/** RFC 5424 escapes `"`, `\` and `]`; line breaks are escaped too (`\n`, `\r`) so a record stays on one line. */
const paramValue = (text: string) => (PARAM_VALUE_SPECIAL.test(text) ? text.replace(/["\\\]\r\n]/g, (c) => ESCAPES[c]!) : text);

/** Control characters but tab: a line break would split the record, the rest would reach terminals raw. */
const MESSAGE_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const MESSAGE_CONTROLS = new RegExp(MESSAGE_CONTROL.source, "g");
/** rsyslog's escape: `#` and the character's code in three octal digits (a line feed is `#012`). */
const octal = (c: string) => `#${c.charCodeAt(0).toString(8).padStart(3, "0")}`;

/** The syslog (RFC 5424) line format (see the module comment). */
export function syslogFormat(): LineFormat {
  const time = isoTimeFormatter();
  return {
    format(record: LogRecord): string {
      const f = record.fields;
      const pri = SYSLOG_FACILITY * 8 + SYSLOG_SEVERITY[record.level];
      let sd = "";
      if (f) for (const key in f) if (f[key] !== undefined) sd += ` ${paramName(key)}="${paramValue(plainValue(f[key]))}"`;
      if (record.tags && record.tags.length > 0) sd += ` tags="${paramValue(record.tags.join(","))}"`;
      const data = sd ? `[${SYSLOG_SD_ID}${sd}]` : "-";
      const message = MESSAGE_CONTROL.test(record.message) ? record.message.replace(MESSAGE_CONTROLS, octal) : record.message;
      return `<${pri}>1 ${time(record.time)} ${headerField(f?.host, 255)} ${headerField(record.service, 48)} - ${headerField(f?.event, 32)} ${data} ${message}`;
    },
  };
}
