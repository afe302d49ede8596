/**
 * The Common and Combined access formats, as both servers write them by default, read by a hand
 * scanner (a regex over a quoted value overflows V8's stack on a 10 MB user agent and silently
 * gives up after seconds on JavaScriptCore), lenient where real files are: a referer and user agent
 * written as bare `-`, Apache's vhost_combined `%v:%p ` prefix, nginx's `main` trailer
 * `"$http_x_forwarded_for"`.
 */
import { ok, type RawLine } from "../../core/mod.ts";
import { base, fail, parseTime, type ParseEnv, type ParseResult } from "./_common.ts";
import { clfTime, putRequestParts, statusLevel, unescapeLogValue } from "./_web.ts";

/** The index of the `"` closing the quote opened at `open` (one after an even run of backslashes), or -1. */
export function closingQuote(text: string, open: number): number {
  for (let q = text.indexOf('"', open + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let n = 0;
    for (let k = q - 1; k > open && text.charCodeAt(k) === 92; k--) n++;
    if (n % 2 === 0) return q;
  }
  return -1;
}

const STATUS = /^(?:\d{3}|-)$/;
const BYTES = /^(?:\d{1,15}|-)$/;
const VHOST = /^(\S+):(\d{1,5})$/;

/** Reads a Common/Combined line: `apache` allows the vhost prefix, `nginx` the forwarded-for trailer. */
export function parseCombined(line: RawLine, env: ParseEnv, server: "apache" | "nginx"): ParseResult {
  const text = line.text;
  const open = text.indexOf(" [");
  if (open < 0 || open > 1024) return fail(`not ${server === "apache" ? "Apache" : "nginx"} access log format (no " [" before the time)`);
  const head = text.slice(0, open).split(" ");
  const fields: Record<string, unknown> = {};
  if (head.length === 4 && server === "apache") {
    const v = VHOST.exec(head.shift()!);
    if (!v) return fail("expected the vhost_combined prefix host:port");
    fields.vhost = v[1];
    fields.port = Number(v[2]);
  }
  if (head.length !== 3 || head.includes("")) return fail(`expected "host ident user [time]", got ${head.length} words before the time`);
  const close = text.indexOf("] ", open);
  if (close < 0) return fail("no closing ] after the time");
  const stamp = text.slice(open + 2, close);
  const time = clfTime(stamp) ?? parseTime(stamp, env.now, env.zone, env.seconds);
  if (time === undefined) return fail(`invalid timestamp "${stamp.slice(0, 40)}"`);
  if (text[close + 2] !== '"') return fail('expected a quoted request after the time');
  const requestEnd = closingQuote(text, close + 2);
  if (requestEnd < 0) return fail("the request's quote is never closed");
  put(fields, "ip", head[0]!);
  put(fields, "ident", head[1]!);
  put(fields, "user_id", head[2]!);
  const request = unescapeLogValue(text.slice(close + 3, requestEnd));
  if (request !== "-") putRequestParts(fields, request);
  // ` status bytes`, then optionally ` referer agent` (quoted or -), then for nginx ` "forwarded-for"`.
  const rest = text.slice(requestEnd + 1);
  if (rest[0] !== " ") return fail("expected a space after the request");
  const s1 = rest.indexOf(" ", 1);
  const s2 = s1 < 0 ? -1 : rest.indexOf(" ", s1 + 1);
  const status = rest.slice(1, s1 < 0 ? undefined : s1);
  const bytes = s1 < 0 ? "" : rest.slice(s1 + 1, s2 < 0 ? undefined : s2);
  if (!STATUS.test(status) || !BYTES.test(bytes)) return fail("expected the status and byte count after the request");
  if (status !== "-") fields.status = Number(status);
  if (bytes !== "-") fields.bytes = Number(bytes);
  if (s2 >= 0) {
    const quoted = quotedValues(rest, s2, server === "nginx" ? 3 : 2);
    if (typeof quoted === "string") return fail(quoted);
    put(fields, "referer", quoted[0]);
    put(fields, "user_agent", quoted[1]);
    put(fields, "x_forwarded_for", quoted[2]);
  }
  const record = base(line, server, time, statusLevel(fields.status), request);
  record.fields = fields;
  return ok(record);
}

/** ` "a" "b"` (each quoted or `-`) from `at` to the end: 2 values, or up to `max`; a reason when it is not that. */
function quotedValues(text: string, at: number, max: number): string[] | string {
  const values: string[] = [];
  let p = at;
  while (p < text.length) {
    if (text[p] !== " " || values.length === max) return "unexpected text after the status and byte count";
    if (text[p + 1] === "-" && (p + 2 === text.length || text[p + 2] === " ")) {
      values.push("-");
      p += 2;
      continue;
    }
    if (text[p + 1] !== '"') return "expected a quoted referer and user agent";
    const end = closingQuote(text, p + 1);
    if (end < 0) return "a quote is never closed";
    values.push(text.slice(p + 2, end));
    p = end + 1;
  }
  return values.length >= 2 ? values : "expected a referer and a user agent after the byte count";
}

function put(fields: Record<string, unknown>, key: string, raw: string | undefined): void {
  if (raw !== undefined && raw !== "-" && raw !== "") fields[key] = unescapeLogValue(raw);
}
