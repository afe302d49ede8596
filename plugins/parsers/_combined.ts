/**
 * The Common and Combined access formats, as both servers write them by default, read by one
 * anchored regex each (faster than a compiled format, and lenient where real files are: a
 * referer and user agent written as bare `-`, Apache's vhost_combined `%v:%p ` prefix, nginx's
 * `main` trailer `"$http_x_forwarded_for"`).
 */
import { ok } from "neverthrow";
import type { RawLine } from "../../core/types.ts";
import { base, fail, parseTime, type ParseEnv, type ParseResult } from "./_common.ts";
import { clfTime, putRequestParts, statusLevel, unescapeLogValue } from "./_web.ts";

const Q = String.raw`"((?:[^"\\]|\\.)*)"`;
const CORE = String.raw`(\S+) (\S+) (\S+) \[([^\]]+)\] ${Q} (\d{3}|-) (\d+|-)(?: (?:${Q}|-) (?:${Q}|-)`;
/** Apache: common, combined, and vhost_combined's `host:port ` before them. */
const APACHE = new RegExp(String.raw`^(?:(\S+):(\d+) )?${CORE})?$`);
/** nginx: common, combined, and `main`'s trailing quoted `$http_x_forwarded_for`. */
const NGINX = new RegExp(String.raw`^()()${CORE}(?: ${Q})?)?$`);

/** Reads a Common/Combined line: `apache` allows the vhost prefix, `nginx` the forwarded-for trailer. */
export function parseCombined(line: RawLine, env: ParseEnv, server: "apache" | "nginx"): ParseResult {
  const m = (server === "apache" ? APACHE : NGINX).exec(line.text);
  if (!m) return fail(server === "apache" ? "not Apache common/combined/vhost_combined format" : "not nginx combined/main format");
  const time = clfTime(m[6]!) ?? parseTime(m[6], env.now, env.zone);
  if (time === undefined) return fail(`invalid timestamp "${m[6]}"`);
  const fields: Record<string, unknown> = {};
  if (m[1] !== undefined && m[1] !== "") {
    fields.vhost = m[1];
    fields.port = Number(m[2]);
  }
  put(fields, "ip", m[3]!);
  put(fields, "ident", m[4]!);
  put(fields, "user_id", m[5]!);
  const request = unescapeLogValue(m[7]!);
  if (request !== "-") putRequestParts(fields, request);
  const status = m[8] === "-" ? undefined : Number(m[8]);
  if (status !== undefined) fields.status = status;
  if (m[9] !== "-") fields.bytes = Number(m[9]);
  put(fields, "referer", m[10]);
  put(fields, "user_agent", m[11]);
  put(fields, "x_forwarded_for", m[12]);
  const record = base(line, server, time, statusLevel(status), request);
  record.fields = fields;
  return ok(record);
}

function put(fields: Record<string, unknown>, key: string, raw: string | undefined): void {
  if (raw !== undefined && raw !== "-" && raw !== "") fields[key] = unescapeLogValue(raw);
}
