/**
 * `apache`: access logs. Without options, common, combined and vhost_combined; with `format`, any
 * mod_log_config `LogFormat` string (or the name `common`, `combined`, `vhost_combined`, `referer`,
 * `agent`), compiled once: each directive becomes a field (`%{User-Agent}i` -> user_agent), typed
 * where its values are numbers, and %r, %t and %>s give the message, time and level.
 */
import { definePlugin, err, ok, type Result } from "../../core/mod.ts";
import { z } from "zod";
import { withUtf8Check } from "./_common.ts";
import { compileSegments, MAX_FORMAT_LENGTH, parseWithFormat, type AccessFormat, type Kind, type Segment } from "./_access-format.ts";
import { parseCombined } from "./_combined.ts";
import { parseEnv, timezoneOption, type LineParser } from "./_plugin.ts";

/** The nicknames of Apache's default configuration (bytes as %b, which also reads Debian's %O columns). */
export const APACHE_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
  referer: "%{Referer}i -> %U",
  agent: "%{User-agent}i",
};

type Directive = readonly [field: string, kind: Kind];

/** Fields of directives without an argument. */
const PLAIN: Readonly<Record<string, Directive>> = {
  a: ["ip", "text"], A: ["local_ip", "text"], b: ["bytes", "int"], B: ["bytes", "int"], D: ["request_time_us", "int"],
  f: ["filename", "text"], h: ["ip", "text"], H: ["protocol", "text"], k: ["keepalive_requests", "int"], l: ["ident", "text"],
  L: ["log_id", "text"], m: ["method", "text"], p: ["port", "int"], P: ["pid", "int"], q: ["query", "text"], r: ["", "request"],
  R: ["handler", "text"], s: ["status", "status"], t: ["", "time-clf-bracketed"], T: ["request_time", "int"], u: ["user_id", "text"],
  U: ["path", "text"], v: ["vhost", "text"], V: ["server_name", "text"], X: ["connection_status", "text"], I: ["bytes_received", "int"],
  O: ["bytes_sent", "int"], S: ["bytes_transferred", "int"],
};

const snake = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || "value";

/** A directive with its `{argument}`, or why it is not one. */
function directive(letter: string, arg: string | undefined): Directive | string {
  if (arg === undefined) return Object.hasOwn(PLAIN, letter) ? PLAIN[letter]! : `unknown directive %${letter}`;
  switch (letter) {
    case "i":
      return [snake(arg), "text"];
    case "o":
      return [`response_${snake(arg)}`, "text"];
    case "C":
      return [`cookie_${snake(arg)}`, "text"];
    case "e":
    case "n":
    case "^ti":
    case "^to":
      return [snake(arg), "auto"];
    case "a":
      return arg === "c" ? ["peer_ip", "text"] : ["ip", "text"];
    case "p":
      return arg === "local" ? ["local_port", "int"] : arg === "remote" ? ["remote_port", "int"] : ["port", "int"];
    case "P":
      return arg === "tid" ? ["tid", "int"] : arg === "hextid" ? ["tid", "text"] : ["pid", "int"];
    case "T":
      return arg === "ms" ? ["request_time_ms", "int"] : arg === "us" ? ["request_time_us", "int"] : ["request_time", "int"];
    case "t": {
      const spec = arg.replace(/^(?:begin|end):/, "");
      const kind: Kind = spec === "sec" ? "time-s" : spec === "msec" ? "time-ms" : spec === "usec" ? "time-us" : spec === "" ? "time-clf-bracketed" : "time-any";
      return [spec === "msec_frac" || spec === "usec_frac" ? spec : "time", spec.endsWith("_frac") ? "int" : kind];
    }
    default:
      return Object.hasOwn(PLAIN, letter) ? PLAIN[letter]! : `unknown directive %{${arg}}${letter}`;
  }
}

/** `%[!][codes][<>]{arg}[<>]X` after the `%` at `i`: the directive's end, letter and argument. */
const DIRECTIVE = /^!?[\d,]*[<>]?(?:\{([^}]{0,128})\})?[<>]?(\^t[io]|[a-zA-Z])/;

/** A LogFormat string as segments; `\"`, `\\`, `\n` and `\t` as Apache's config reads them; also takes `LogFormat "..." nickname`. */
export function apacheSegments(format: string): Result<Segment[], string> {
  if (format.length > MAX_FORMAT_LENGTH) return err(`the format is ${format.length} characters long; at most ${MAX_FORMAT_LENGTH} are supported`);
  const directiveForm = /^\s*LogFormat\s+"((?:[^"\\]|\\.)*)"(?:\s+\S+)?\s*$/.exec(format);
  const text = Object.hasOwn(APACHE_FORMATS, format) ? APACHE_FORMATS[format]! : directiveForm ? directiveForm[1]! : format;
  const segments: Segment[] = [];
  let literal = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      const next = text[++i]!;
      literal += next === "n" ? "\n" : next === "t" ? "\t" : next;
      continue;
    }
    if (c !== "%") {
      literal += c;
      continue;
    }
    if (text[i + 1] === "%") {
      literal += "%";
      i++;
      continue;
    }
    const m = DIRECTIVE.exec(text.slice(i + 1, i + 160));
    if (!m) return err(`"%" at column ${i + 1} does not start a directive (write %% for a percent sign)`);
    const d = directive(m[2]!, m[1]);
    if (typeof d === "string") return err(`${d} at column ${i + 1}`);
    segments.push(literal, { label: `%${m[0]}`, field: d[0], kind: d[1] });
    literal = "";
    i += m[0].length;
  }
  segments.push(literal);
  return ok(segments);
}

export const compileApacheFormat = (format: string): Result<AccessFormat, string> => apacheSegments(format).andThen(compileSegments);

/** Apache common, combined and vhost_combined lines. Level from the status: 5xx ERROR, 4xx WARN. */
export const parseApache: LineParser = withUtf8Check((line, env) => parseCombined(line, env, "apache"));

/** A parser for one LogFormat. */
export function apacheFormatParser(format: AccessFormat): LineParser {
  return withUtf8Check((line, env) => parseWithFormat(format, line, env, "apache"));
}

export const apache = definePlugin({
  kind: "parser",
  name: "apache",
  description: "Parses Apache access logs: common, combined and vhost_combined, or any LogFormat string",
  schema: z.strictObject({
    format: z
      .string()
      .superRefine((value, ctx) => {
        const compiled = compileApacheFormat(value);
        if (compiled.isErr()) ctx.addIssue({ code: "custom", message: compiled.error });
      })
      .optional()
      .describe('The LogFormat string, e.g. \'%h %l %u %t "%r" %>s %b %D "%{X-Forwarded-For}i"\', or a nickname: common, combined, vhost_combined (default: all three)'),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const { tick } = parseEnv(options.timezone, ctx);
    const parse = options.format === undefined ? parseApache : apacheFormatParser(compileApacheFormat(options.format)._unsafeUnwrap()); // Checked by the schema.
    return { parse: (line) => parse(line, tick(line)) };
  },
});
