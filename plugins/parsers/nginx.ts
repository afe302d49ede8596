/**
 * `nginx`: access logs. Without options, `combined` and `main` (combined with a trailing
 * `"$http_x_forwarded_for"`); with `format`, any `log_format` string (or the name `combined` or
 * `main`), compiled once: each variable becomes a field named after it, typed where nginx
 * documents its values, and $request, $time_local/$time_iso8601/$msec and $status give the
 * message, time and level.
 */
import { definePlugin, err, ok, type Result } from "../../core/mod.ts";
import { z } from "zod";
import { withUtf8Check } from "./_common.ts";
import { compileSegments, MAX_FORMAT_LENGTH, parseWithFormat, type AccessFormat, type Kind, type Segment } from "./_access-format.ts";
import { parseCombined } from "./_combined.ts";
import { parseEnv, timezoneOption, type LineParser } from "./_plugin.ts";

/** nginx's predefined `combined`, and the `main` of the nginx.conf it ships. */
export const NGINX_FORMATS: Readonly<Record<string, string>> = {
  combined: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"',
  main: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"',
};

/** Variables whose field has another name than the variable, or whose value has a type. */
const VARIABLES: Readonly<Record<string, readonly [field: string, kind: Kind]>> = {
  remote_addr: ["ip", "text"],
  remote_user: ["user_id", "text"],
  time_local: ["", "time-clf"],
  time_iso8601: ["", "time-iso"],
  msec: ["", "time-s"],
  request: ["", "request"],
  status: ["status", "status"],
  body_bytes_sent: ["bytes", "int"],
  http_referer: ["referer", "text"],
  http_user_agent: ["user_agent", "text"],
  http_x_forwarded_for: ["x_forwarded_for", "text"],
  request_method: ["method", "text"],
  request_uri: ["path", "text"],
  server_protocol: ["protocol", "text"],
  request_time: ["request_time", "number"],
  upstream_response_time: ["upstream_response_time", "numbers"],
  upstream_connect_time: ["upstream_connect_time", "numbers"],
  upstream_header_time: ["upstream_header_time", "numbers"],
  upstream_status: ["upstream_status", "numbers"],
  upstream_response_length: ["upstream_response_length", "numbers"],
  upstream_bytes_received: ["upstream_bytes_received", "numbers"],
  upstream_bytes_sent: ["upstream_bytes_sent", "numbers"],
  upstream_addr: ["upstream_addr", "text"],
  gzip_ratio: ["gzip_ratio", "number"],
  bytes_sent: ["bytes_sent", "int"],
  request_length: ["request_length", "int"],
  connection: ["connection", "int"],
  connection_requests: ["connection_requests", "int"],
  pid: ["pid", "int"],
  remote_port: ["remote_port", "int"],
  server_port: ["server_port", "int"],
  content_length: ["content_length", "int"],
};

const NAME = /^[A-Za-z0-9_]{1,64}/;

/** A `log_format` string as segments; also takes the directive as nginx.conf writes it (`log_format main '...' '...';`). */
export function nginxSegments(format: string): Result<Segment[], string> {
  if (format.length > MAX_FORMAT_LENGTH) return err(`the format is ${format.length} characters long; at most ${MAX_FORMAT_LENGTH} are supported`);
  const text = Object.hasOwn(NGINX_FORMATS, format) ? NGINX_FORMATS[format]! : unwrapDirective(format);
  if (text === undefined) return err("expected the log_format directive's quoted strings after its name");
  const segments: Segment[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$") {
      literal += text[i];
      continue;
    }
    const braced = text[i + 1] === "{";
    const name = NAME.exec(text.slice(braced ? i + 2 : i + 1, i + 80))?.[0];
    if (!name || (braced && text[i + 2 + name.length] !== "}")) return err(`"$" at column ${i + 1} is not followed by a variable name`);
    segments.push(literal);
    literal = "";
    const [field, kind] = Object.hasOwn(VARIABLES, name) ? VARIABLES[name]! : [name, "auto" as const];
    segments.push({ label: `$${name}`, field, kind });
    i += name.length + (braced ? 2 : 0);
  }
  segments.push(literal);
  return ok(segments);
}

/** `log_format main [escape=...] 'a' 'b';` as `ab`; anything not starting with `log_format` as itself; undefined when its strings do not close. */
function unwrapDirective(format: string): string | undefined {
  const head = /^\s*log_format\s+\S+\s+(?:escape=\S+\s+)?/.exec(format);
  if (!head) return format;
  let out = "";
  let i = head[0].length;
  while (i < format.length) {
    const q = format[i];
    if (q === "'" || q === '"') {
      const end = format.indexOf(q, i + 1);
      if (end < 0) return undefined;
      out += format.slice(i + 1, end);
      i = end + 1;
    } else if (q === " " || q === "\t" || q === "\n" || q === "\r" || q === ";") i++;
    else return undefined;
  }
  return out;
}

export const compileNginxFormat = (format: string): Result<AccessFormat, string> => nginxSegments(format).andThen(compileSegments);

/** nginx `combined` and `main` lines (and common). Level from the status: 5xx ERROR, 4xx WARN. */
export const parseNginx: LineParser = withUtf8Check((line, env) => parseCombined(line, env, "nginx"));

/** A parser for one `log_format`. */
export function nginxFormatParser(format: AccessFormat): LineParser {
  return withUtf8Check((line, env) => parseWithFormat(format, line, env, "nginx"));
}

export const nginx = definePlugin({
  kind: "parser",
  name: "nginx",
  description: "Parses nginx access logs: combined and main, or any log_format string",
  schema: z.strictObject({
    format: z
      .string()
      .superRefine((value, ctx) => {
        const compiled = compileNginxFormat(value);
        if (compiled.isErr()) ctx.addIssue({ code: "custom", message: compiled.error });
      })
      .optional()
      .describe(`The log_format string, e.g. '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $request_time', or "combined" or "main" (default: both, and common)`),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const { tick } = parseEnv(options.timezone, ctx);
    const parse = options.format === undefined ? parseNginx : nginxFormatParser(compileNginxFormat(options.format)._unsafeUnwrap()); // Checked by the schema.
    return { parse: (line) => parse(line, tick(line)) };
  },
});
