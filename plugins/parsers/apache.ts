/** `apache` (and `nginx`): the Common and Combined access log formats. */
import { ok } from "neverthrow";
import { base, fail, parseTime, typed, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const APACHE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?$/;
const unescapeApache = (s: string) => s.replace(/\\x([0-9a-fA-F]{2})|\\(["\\])/g, (_, hex, c) => (hex ? String.fromCharCode(parseInt(hex, 16)) : c));

/** Apache/nginx combined (and common) log format. Level from the status: 5xx ERROR, 4xx WARN. */
export const parseApache: LineParser = withUtf8Check((line, env) => {
  const m = APACHE.exec(line.text);
  if (!m) return fail("not Apache/nginx combined format");
  const time = parseTime(m[4], env.now, env.zone);
  if (time === undefined) return fail("invalid timestamp");
  const request = unescapeApache(m[5]!);
  const status = m[6] === "-" ? undefined : Number(m[6]);
  const level = status === undefined ? "INFO" : status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
  const fields: Record<string, unknown> = {};
  const put = (k: string, v: string | undefined, t = false) => {
    if (v !== undefined && v !== "-" && v !== "") fields[k] = t ? typed(v) : v;
  };
  put("ip", m[1]);
  put("ident", m[2]);
  put("user_id", m[3]);
  const [method, path, protocol] = request.split(" ");
  if (request !== "-") {
    put("method", method);
    put("path", path);
    put("protocol", protocol);
  }
  if (status !== undefined) fields.status = status;
  put("bytes", m[7], true);
  put("referer", m[8] === undefined ? undefined : unescapeApache(m[8]));
  put("user_agent", m[9] === undefined ? undefined : unescapeApache(m[9]));
  const record = base(line, "apache", time, level, request);
  record.fields = fields;
  return ok(record);
});

export const apache = lineParserPlugin("apache", "Parses Apache combined (and common) access logs", parseApache);
export const nginx = lineParserPlugin("nginx", "Parses nginx access logs (combined format, as apache)", parseApache);
