/** What the web-server parsers share: escapes, request lines, CLF times, status and error-log levels. */
import type { Level } from "../../core/mod.ts";
import { MONTHS } from "./_common.ts";

/** Access-log level from the status: 5xx ERROR, 4xx WARN, else INFO. */
export const statusLevel = (status: unknown): Level =>
  typeof status !== "number" ? "INFO" : status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";

/**
 * Error-log level names of nginx and Apache (emerg ... debug, trace1-8) as logsim levels;
 * undefined for a name neither writes.
 */
export function errorLevel(name: string): Level | undefined {
  switch (name) {
    case "emerg":
    case "alert":
    case "crit":
      return "FATAL";
    case "error":
      return "ERROR";
    case "warn":
      return "WARN";
    case "notice":
    case "info":
      return "INFO";
    case "debug":
      return "DEBUG";
    default:
      return /^trace[1-8]$/.test(name) ? "DEBUG" : undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "/": "/" };
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A logged value with its escapes undone: nginx's `\x22` (escape=default), Apache's `\"` and `\xhh`,
 * JSON's `\uXXXX` (nginx escape=json). Runs of `\xHH` bytes are decoded as UTF-8 (nginx writes `é`
 * as `\xC3\xA9`); when one run is not UTF-8 (a binary request, a TLS handshake sent to a plain
 * port), every `\xHH` of the value stays as written, so nothing is lost or half-decoded.
 */
export function unescapeLogValue(s: string): string {
  if (!s.includes("\\")) return s;
  return unescape(s, true) ?? unescape(s, false)!;
}

/** The value unescaped; undefined when `decodeBytes` and a `\xHH` run is not UTF-8. */
function unescape(s: string, decodeBytes: boolean): string | undefined {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const bs = s.indexOf("\\", i);
    if (bs < 0 || bs === s.length - 1) break;
    out += s.slice(i, bs);
    const c = s[bs + 1]!;
    if (c === "x" && isHex(s, bs + 2, 2)) {
      let j = bs;
      const bytes: number[] = [];
      while (s[j] === "\\" && s[j + 1] === "x" && isHex(s, j + 2, 2)) {
        bytes.push(parseInt(s.slice(j + 2, j + 4), 16));
        j += 4;
      }
      if (decodeBytes) {
        try {
          out += utf8.decode(new Uint8Array(bytes));
        } catch {
          return undefined;
        }
      } else out += s.slice(bs, j);
      i = j;
    } else if (c === "u" && isHex(s, bs + 2, 4)) {
      out += String.fromCharCode(parseInt(s.slice(bs + 2, bs + 6), 16));
      i = bs + 6;
    } else {
      const simple = SIMPLE_ESCAPES[c];
      out += simple ?? s.slice(bs, bs + 2);
      i = bs + 2;
    }
  }
  return out + s.slice(i);
}

function isHex(s: string, at: number, n: number): boolean {
  for (let k = at; k < at + n; k++) {
    const c = s.charCodeAt(k) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * A request line's parts into `fields`: `GET /a b HTTP/1.1` gives method GET, path `/a b`,
 * protocol HTTP/1.1. A line that is not `METHOD target [protocol]` (a TLS handshake sent to a
 * plain port, an empty request) sets none: it stays whole in the message.
 */
export function putRequestParts(fields: Record<string, unknown>, request: string): void {
  const first = request.indexOf(" ");
  if (first <= 0 || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(request.slice(0, first))) return;
  const last = request.lastIndexOf(" ");
  const hasProtocol = last > first && /^HTTP\/\d/.test(request.slice(last + 1));
  fields.method = request.slice(0, first);
  fields.path = request.slice(first + 1, hasProtocol ? last : request.length);
  if (hasProtocol) fields.protocol = request.slice(last + 1);
}

const digits = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/**
 * A Common Log Format time `10/Oct/2000:13:55:36 -0700` (exactly 26 characters) in ms, read
 * digit by digit (no Date.parse per line); undefined when it is not one.
 */
export function clfTime(s: string): number | undefined {
  if (s.length !== 26 || s[2] !== "/" || s[6] !== "/" || s[11] !== ":" || s[14] !== ":" || s[17] !== ":" || s[20] !== " ") return undefined;
  const month = MONTHS[s.slice(3, 6)];
  const sign = s[21] === "+" ? 1 : s[21] === "-" ? -1 : 0;
  const d = digits(s, 0, 2), y = digits(s, 7, 4), h = digits(s, 12, 2), mi = digits(s, 15, 2), sec = digits(s, 18, 2), oh = digits(s, 22, 2), om = digits(s, 24, 2);
  if (!month || !sign || Number.isNaN(d + y + h + mi + sec + oh + om)) return undefined;
  if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || om > 59) return undefined;
  const mo = Number(month);
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec) - sign * (oh * 60 + om) * 60_000;
}

/** Epoch seconds with a fraction (`1795960648.695`, nginx's $msec) in ms; undefined when it is not one. */
export function epochSeconds(s: string): number | undefined {
  return /^\d{1,11}(?:\.\d{1,9})?$/.test(s) ? Math.round(Number(s) * 1000) : undefined;
}
