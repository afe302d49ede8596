/**
 * Apache combined log format: `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`,
 * from the fields ip, user_id, method, path, status, bytes, referer and
 * user_agent (each "-" when absent). The time has whole seconds, in UTC. Only
 * these fields travel in this format: level, message, seq and the rest do not.
 *
 * A line is one HTTP request: the records it is made for have a method, path,
 * status and ip (the generator's `httpOnly`, which `logsim generate --format
 * apache` sets). A record without them still gets a line, with "-" for what
 * it lacks, which tools such as goaccess count as invalid.
 *
 * Quoted parts are escaped as Apache does (`\"`, `\\`, `\xhh` for control
 * characters); non-ASCII text stays UTF-8. The request line cannot hold
 * whitespace inside its path, so the path's whitespace is percent-encoded, as
 * a client sends it. Bare tokens (ip, user) have whitespace turned into `_`;
 * a status is written only when it has three digits, bytes only when a count.
 *
 * @example
 * 203.0.113.9 - u-1042 [23/Nov/2026:10:00:00 +0000] "POST /payments HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
 */
import type { LineFormat } from "../line-format.ts";
import type { LogRecord } from "../types.ts";
import { pad2, perSecondFormatter } from "../template.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** `23/Nov/2026:10:00:00 +0000`: whole seconds, UTC. */
const clfTime = () =>
  perSecondFormatter((d) => `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`);

const QUOTED = /["\\\x00-\x1f\x7f]/;
/** Inside a quoted field, as Apache escapes it: backslash, quote and control characters. */
const escape = (text: string) => (QUOTED.test(text) ? text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`) : text);
/** A bare token (host, user, method): "-" when absent, no whitespace. */
const token = (value: unknown) => (value === undefined || value === null || value === "" ? "-" : String(value).replace(/\s/g, "_"));

const status = (value: unknown) => (/^[1-5]\d\d$/.test(String(value)) ? String(value) : "-");
const bytes = (value: unknown) => (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : typeof value === "string" && /^\d+$/.test(value) ? value : "-");
/** A path as a request line holds it: whitespace percent-encoded. */
const requestPath = (value: unknown) => (value === undefined || value === null || value === "" ? "/" : String(value).replace(/\s/g, (c) => encodeURIComponent(c)));

export function apacheFormat(): LineFormat {
  const time = clfTime();
  return {
    format(record: LogRecord): string {
      const f = record.fields ?? {};
      const request = f.method === undefined ? "-" : `${token(f.method)} ${requestPath(f.path)} HTTP/1.1`;
      const referer = f.referer === undefined ? "-" : escape(String(f.referer));
      const agent = f.user_agent === undefined ? "-" : escape(String(f.user_agent));
      return `${token(f.ip)} - ${token(f.user_id)} [${time(record.time)}] "${escape(request)}" ${status(f.status)} ${bytes(f.bytes)} "${referer}" "${agent}"`;
    },
  };
}
