/** `syslog`: RFC 5424 and RFC 3164 (BSD) lines. */
import { ok } from "neverthrow";
import { base, fail, parseTime, setField, typed, withUtf8Check } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const SEVERITY_LEVEL = ["FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"] as const;
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}) (\S+) ([^:[\s]+)(?:\[([^\]]*)\])?: ?/;

/** Structured data `[id k="v" ...]...` at `at`; returns its params and where the message starts, or undefined. */
function structuredData(text: string, at: number): { params: Record<string, unknown>; next: number } | undefined {
  const params: Record<string, unknown> = {};
  if (text[at] === "-") return { params, next: at + 1 };
  let i = at;
  while (text[i] === "[") {
    i++;
    while (i < text.length && text[i] !== " " && text[i] !== "]") i++; // SD-ID
    while (text[i] === " ") {
      i++;
      const eq = text.indexOf("=", i);
      if (eq < 0 || text[eq + 1] !== '"') return undefined;
      const name = text.slice(i, eq);
      let value = "";
      let j = eq + 2;
      for (; j < text.length && text[j] !== '"'; j++) value += text[j] === "\\" && /["\\\]]/.test(text[j + 1] ?? "") ? text[++j] : text[j];
      if (j >= text.length) return undefined;
      setField(params, name, typed(value));
      i = j + 1;
    }
    if (text[i] !== "]") return undefined;
    i++;
  }
  return i === at ? undefined : { params, next: i };
}

/** Syslog RFC 5424, and RFC 3164 (BSD; with or without `<PRI>`). */
export const parseSyslog: LineParser = withUtf8Check((line, env) => {
  const text = line.text;
  const m = RFC5424.exec(text);
  if (m) {
    const pri = Number(m[1]);
    const time = m[2] === "-" ? env.now : parseTime(m[2], env.now, env.zone);
    if (time === undefined) return fail("invalid timestamp");
    const sd = structuredData(text, m[0].length);
    if (!sd) return fail("invalid syslog structured data");
    const fields = sd.params;
    let tags: string[] | undefined;
    if (typeof fields.tags === "string") {
      tags = fields.tags.split(",").filter(Boolean);
      delete fields.tags;
    }
    if (m[3] !== "-") fields.host = m[3];
    if (m[5] !== "-") fields.procid = typed(m[5]!);
    if (m[6] !== "-") fields.event = m[6];
    const message = text.slice(sd.next).replace(/^ /, "").replace(/^\uFEFF/, "");
    const record = base(line, "syslog", time, SEVERITY_LEVEL[pri % 8]!, message);
    if (m[4] !== "-") record.service = m[4];
    if (Object.keys(fields).length > 0) record.fields = fields;
    if (tags) record.tags = [...tags, ...(record.tags ?? [])];
    return ok(record);
  }
  const b = RFC3164.exec(text);
  if (!b) return fail("not syslog (RFC 5424 or 3164)");
  const time = parseTime(b[2]!.replace(/ +/, " "), env.now, env.zone);
  if (time === undefined) return fail("invalid timestamp");
  const record = base(line, "syslog", time, b[1] === undefined ? "INFO" : SEVERITY_LEVEL[Number(b[1]) % 8]!, text.slice(b[0].length));
  record.service = b[4];
  record.fields = { host: b[3], ...(b[5] ? { procid: typed(b[5]) } : {}) };
  return ok(record);
});

export const syslog = lineParserPlugin("syslog", "Parses syslog lines, RFC 5424 and RFC 3164", parseSyslog);
