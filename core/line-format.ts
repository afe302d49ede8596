/**
 * How sinks turn records into lines. A format has an optional header, written
 * at the top of every file (CSV), and a `format` that returns one line
 * without its newline. The built-in formats are known here, statically: no
 * registry, so nothing depends on what was imported first. Any other string
 * is taken as a `%(name)s` template, and an author can pass a LineFormat
 * object of their own wherever a sink takes a format.
 */
import { z } from "zod";
import { apacheFormat } from "./line-formats/apache.ts";
import { csvFormat } from "./line-formats/csv.ts";
import { logfmtFormat } from "./line-formats/logfmt.ts";
import { syslogFormat } from "./line-formats/syslog.ts";
import { textFormat } from "./line-formats/text.ts";
import { jsonLineFormatter } from "./record-json.ts";
import { compileTemplate, DEFAULT_TEMPLATE } from "./template.ts";
import type { LogRecord } from "./types.ts";

export { apacheFormat, csvFormat, logfmtFormat, syslogFormat, textFormat };
export { CSV_COLUMNS, CSV_FIELD_COLUMNS, csvCell } from "./line-formats/csv.ts";
export { TEXT_SHORT_NAMES } from "./line-formats/text.ts";
export { SYSLOG_FACILITY, SYSLOG_SD_ID, SYSLOG_SEVERITY } from "./line-formats/syslog.ts";

/**
 * Turns records into lines. An instance may cache (the second it last formatted), so
 * create one per sink.
 *
 * @example
 * const shout: LineFormat = { format: (record) => `${record.level}! ${record.message}` };
 * rotatingFile({ path: "logs/loud.log", format: shout });
 */
export interface LineFormat {
  /** Written at the top of every file (also after a rotation): a CSV header row. */
  readonly header?: string;
  /** One line, without its newline. */
  format(record: LogRecord): string;
}

/**
 * Creates a fresh format instance.
 *
 * @example
 * const upper: LineFormatFactory = () => ({ format: (r) => r.message.toUpperCase() });
 */
export type LineFormatFactory = () => LineFormat;

/**
 * The built-in formats by name: json, csv, text, logfmt, apache (HTTP requests only) and syslog (RFC 5424).
 *
 * @example
 * const csv = BUILTIN_LINE_FORMATS.csv(); // csv.header is the CSV header row
 */
export const BUILTIN_LINE_FORMATS = Object.freeze({
  json: (): LineFormat => ({ format: jsonLineFormatter() }),
  csv: csvFormat,
  text: textFormat,
  logfmt: logfmtFormat,
  apache: apacheFormat,
  syslog: syslogFormat,
} satisfies Record<string, LineFormatFactory>);

/**
 * A built-in format's name.
 *
 * @example
 * const name: LineFormatName = "logfmt";
 */
export type LineFormatName = keyof typeof BUILTIN_LINE_FORMATS;

/**
 * The built-in format names, json first.
 *
 * @example
 * LINE_FORMAT_NAMES.join(", "); // "json, csv, text, logfmt, apache, syslog"
 */
export const LINE_FORMAT_NAMES: readonly LineFormatName[] = Object.freeze(Object.keys(BUILTIN_LINE_FORMATS) as LineFormatName[]);

const isBuiltin = (spec: string): spec is LineFormatName => Object.hasOwn(BUILTIN_LINE_FORMATS, spec);

/**
 * Is `value` a LineFormat object (rather than a name or a template)?
 *
 * @example
 * isLineFormat({ format: (r) => r.message }); // true
 * isLineFormat("csv"); // false
 */
export const isLineFormat = (value: unknown): value is LineFormat =>
  typeof value === "object" && value !== null && typeof (value as LineFormat).format === "function";

/**
 * A format for a sink: a fresh instance of a built-in by name, the compiled `%(name)s`
 * template, or the LineFormat object itself. Throws RangeError for a malformed template
 * (a sink's schema checks it first, with `lineFormat()`).
 *
 * @example
 * const line = createLineFormat("%(levelname)s %(message)s").format(record);
 * const csv = createLineFormat("csv"); // csv.header, csv.format(record)
 */
export function createLineFormat(spec: string | LineFormat): LineFormat {
  if (typeof spec !== "string") return spec;
  if (isBuiltin(spec)) return BUILTIN_LINE_FORMATS[spec]();
  return { format: compileTemplate(spec) };
}

/**
 * The problem with a format spec, or undefined when it is fine.
 *
 * @example
 * checkLineFormat("csv"); // undefined
 * checkLineFormat("yaml"); // "expected a format name (json, csv, ...) or a template with %(name)s fields"
 */
export function checkLineFormat(spec: string): string | undefined {
  if (isBuiltin(spec)) return undefined;
  if (!spec.includes("%(")) return `expected a format name (${LINE_FORMAT_NAMES.join(", ")}) or a template with %(name)s fields`;
  try {
    compileTemplate(spec);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A sink's `format` option: a built-in's name, a `%(name)s` template (checked when the config
 * loads) or a LineFormat object. Pass the result to `createLineFormat` in `create`.
 *
 * @example
 * const schema = z.strictObject({ path: filePath(), format: lineFormat("json") });
 * // in create(options): const format = createLineFormat(options.format);
 */
export const lineFormat = (fallback: string = DEFAULT_TEMPLATE) =>
  z
    .union([z.string(), z.custom<LineFormat>(isLineFormat).meta({ type: "object", description: "A LineFormat object ({ header?, format(record) }), from a TypeScript config" })], { error: "expected a format name, a template or a LineFormat object" })
    .default(fallback)
    .superRefine((value, ctx) => {
      const problem = typeof value === "string" ? checkLineFormat(value) : undefined;
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(`A format name (${LINE_FORMAT_NAMES.join(", ")}) or a template of %(name)s fields; default ${JSON.stringify(fallback)}`);
