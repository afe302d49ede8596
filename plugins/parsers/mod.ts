/**
 * The parser plugins: json, plain-text, logfmt, csv, regex, apache (also as
 * nginx), syslog and auto. Each turns a RawLine into a record with a
 * normalised timestamp (ms, written as ISO 8601 UTC) and level
 * (DEBUG/INFO/WARN/ERROR/FATAL), and origin {file, offset, parser}.
 */
import { z } from "zod";
import { definePlugin, type PluginContext } from "../../core/plugin.ts";
import { compileSafeRegex, regexOption } from "../_shared/safe-regex.ts";
import { fail, fromObject } from "./_common.ts";
import { CsvParser } from "./csv.ts";
import { parseApache, parseAuto, parseJson, parseLogfmt, parsePlainText, parseSyslog, type LineParser } from "./formats.ts";

export { parseApache, parseAuto, parseJson, parseLogfmt, parsePlainText, parseSyslog, type LineParser } from "./formats.ts";
export { CsvParser, csvCells } from "./csv.ts";
export { parseTime } from "./_common.ts";

const simple = (name: string, description: string, parse: LineParser) =>
  definePlugin({
    kind: "parser",
    name,
    description,
    schema: z.strictObject({}),
    create: (_options, ctx: PluginContext) => ({ parse: (line) => parse(line, ctx.clock.now()) }),
  });

export const json = simple("json", "Parses one JSON object per line", parseJson);
export const plainText = simple("plain-text", "Parses TIMESTAMP LEVEL [service] message key=value lines (the generator's text format, Python logging)", parsePlainText);
export const logfmt = simple("logfmt", "Parses logfmt key=value lines", parseLogfmt);
export const apache = simple("apache", "Parses Apache combined (and common) access logs", parseApache);
export const nginx = simple("nginx", "Parses nginx access logs (combined format, as apache)", parseApache);
export const syslog = simple("syslog", "Parses syslog lines, RFC 5424 and RFC 3164", parseSyslog);
export const auto = simple("auto", "Detects the format per line: json, syslog, apache, plain-text, logfmt", parseAuto);

export const csv = definePlugin({
  kind: "parser",
  name: "csv",
  description: "Parses CSV lines; the first line of each file is its header",
  schema: z.strictObject({
    columns: z.array(z.string()).min(1).optional().describe("Column names, for files without a header line"),
    delimiter: z.string().length(1, { error: "expected one character" }).default(",").describe("Cell delimiter"),
  }),
  create: (options, ctx) => {
    const parser = new CsvParser(ctx.runtime.fs, options);
    return { parse: (line) => parser.parse(line, ctx.clock.now()) };
  },
});

export const regex = definePlugin({
  kind: "parser",
  name: "regex",
  description: "Parses lines with a regular expression's named groups (timestamp, level, service, message, and any field)",
  schema: z.strictObject({
    pattern: regexOption().describe("A regular expression with named groups, e.g. ^(?<timestamp>\\S+) (?<level>\\w+) (?<message>.*)$"),
  }),
  create: (options, ctx) => {
    const re = compileSafeRegex(options.pattern)._unsafeUnwrap(); // Checked by the schema.
    return {
      parse(line) {
        const groups = re.groups(line.text);
        if (!groups) return fail("no match");
        const obj: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(groups)) if (v !== undefined) obj[k] = v;
        return fromObject(obj, line, "regex", ctx.clock.now());
      },
    };
  },
});

export const parsers = [json, plainText, logfmt, csv, regex, apache, nginx, syslog, auto];
