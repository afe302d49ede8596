/**
 * Apache combined log format: `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`,
 * from the fields ip, user_id, method, path, status, bytes, referer and
 * user_agent (each "-" when absent; the request line is "-" without a
 * method). The time has whole seconds, in UTC. Only these fields travel in
 * this format: level, message, seq and the rest do not.
 *
 * @example
 * 203.0.113.9 - u-1042 [23/Nov/2026:10:00:00 +0000] "POST /payments HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
 */
import type { LineFormat } from "../../core/line-format.ts";
import type { LogRecord } from "../../core/types.ts";
import { pad2, perSecondFormatter } from "../../core/template.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** `23/Nov/2026:10:00:00 +0000`: whole seconds, UTC. */
const clfTime = () =>
  perSecondFormatter((d) => `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`);

const QUOTED = /["\\\x00-\x1f\x7f]/;
/** Inside a quoted field, as Apache escapes it: backslash, quote and control characters. */
const escape = (text: string) => (QUOTED.test(text) ? text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`) : text);
/** A bare token (host, user, status, bytes): "-" when absent, no spaces. */
const token = (value: unknown) => (value === undefined || value === null || value === "" ? "-" : String(value).replace(/\s/g, "_"));

export function apacheFormat(): LineFormat {
  const time = clfTime();
  return {
    format(record: LogRecord): string {
      const f = record.fields ?? {};
      const request = f.method === undefined ? "-" : `${f.method} ${f.path ?? "/"} HTTP/1.1`;
      const referer = f.referer === undefined ? "-" : escape(String(f.referer));
      const agent = f.user_agent === undefined ? "-" : escape(String(f.user_agent));
      return `${token(f.ip)} - ${token(f.user_id)} [${time(record.time)}] "${escape(request)}" ${token(f.status)} ${token(f.bytes)} "${referer}" "${agent}"`;
    },
  };
}
