/**
 * A readable line: time, level, [service], then the identifiers a person
 * scans for (user, session, req, seq), the message, and every other field as
 * key=value (values quoted as in logfmt when they hold spaces, quotes or =).
 * The service is bare in its brackets (`[payment-service]`) when it can be:
 * one that is empty, `-`, or holds whitespace, brackets, quotes, backslashes
 * or control characters is a JSON string literal (`["my svc]"]`), so the
 * plain-text parser reads it back exactly. `[-]` means no service.
 *
 * @example
 * 2026-11-23T10:00:00.123Z INFO [payment-service] user=u-1042 session=9f2c… req=r-77… seq=42 msg="Payment authorized" generator=gen event=session.payment latency_ms=85
 */
import { isoTimeFormatter } from "../template.ts";
import type { LineFormat } from "../line-format.ts";
import type { LogRecord } from "../types.ts";
import { kvValue } from "./_values.ts";

/** Fields shown first, under short names. */
export const TEXT_SHORT_NAMES: Readonly<Record<string, string>> = { user_id: "user", session_token: "session", request_id: "req", seq: "seq" };
const FIRST = Object.keys(TEXT_SHORT_NAMES);

const BARE_SERVICE = /^[^\s"[\]\\\x00-\x1f\x7f]+$/;
/** What goes between the brackets: the service bare, or as a JSON string literal. */
const textService = (service: string | undefined): string => (service === undefined ? "-" : service !== "-" && BARE_SERVICE.test(service) ? service : JSON.stringify(service));

export function textFormat(): LineFormat {
  const time = isoTimeFormatter();
  return {
    format(record: LogRecord): string {
      const f = record.fields;
      let line = `${time(record.time)} ${record.level} [${textService(record.service)}]`;
      if (f) for (const name of FIRST) if (f[name] !== undefined) line += ` ${TEXT_SHORT_NAMES[name]}=${kvValue(f[name])}`;
      line += ` msg=${JSON.stringify(record.message)}`;
      if (f) for (const key in f) if (!(key in TEXT_SHORT_NAMES) && f[key] !== undefined) line += ` ${key}=${kvValue(f[key])}`;
      if (record.tags && record.tags.length > 0) line += ` tags=${kvValue(record.tags.join(","))}`;
      return line;
    },
  };
}
