/**
 * `python`: Python logging's lines. With a `format` option, any `%(name)s` template (the language
 * logsim's rotating file writes, core/template.ts); without one, logsim's default
 * `[%(asctime)s] %(levelname)s: %(message)s`, the logging cookbook's
 * `%(asctime)s - %(name)s - %(levelname)s - %(message)s`, `basicConfig()`'s `%(levelname)s:%(name)s:%(message)s`
 * and OpenStack's oslo.log default.
 */
import { DEFAULT_TEMPLATE, definePlugin, ok } from "../../core/mod.ts";
import { z } from "zod";
import { base, fail, levelOf, parseTime, withUtf8Check } from "./_common.ts";
import { parseEnv, timezoneOption, type LineParser } from "./_plugin.ts";
import { compileTemplateReader, templateReader } from "./_template-reader.ts";
import { compileDatefmt } from "./_strftime.ts";

/** The templates the `python` parser reads without a `format` option, in the order it tries them. */
export const PYTHON_FORMATS = [
  DEFAULT_TEMPLATE,
  "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
  "%(levelname)s:%(name)s:%(message)s",
] as const;

/** A line parser for one `%(name)s` template; the error says what is wrong with the template. */
export function templateParser(template: string, parser = "python", strictLevel = false, datefmt?: string) {
  return compileTemplateReader(template, datefmt).map((compiled) => templateReader(compiled, parser, { strictLevel }));
}

/**
 * oslo.log's default (OpenStack): `%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(request_id)s
 * %(user_identity)s] %(instance)s%(message)s`, where the context is `-` outside a request. Lines collected with the
 * name of their file first (loghub's OpenStack sample: `nova-api.log.1.2017-05-16_13:53:08 2017-...`) keep it as `log_file`.
 */
const OSLO = /^(?:(\S+\.log\S*) )?(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) (\d+) ([A-Z]+) (\S+) \[([^\]]*)\] (?:\[instance: ([^\]]*)\] )?/;
const IDENTITY = ["user", "project", "domain", "user_domain", "project_domain"];

export const parseOslo: LineParser = withUtf8Check((line, env) => {
  const m = OSLO.exec(line.text);
  if (!m) return fail("not an oslo.log line");
  const level = levelOf(m[4]);
  if (!level) return fail(`unknown level "${m[4]}"`);
  const time = parseTime(m[2], env.now, env.zone, env.seconds);
  if (time === undefined) return fail("invalid timestamp");
  const fields: Record<string, unknown> = {};
  if (m[1]) fields.log_file = m[1];
  fields.pid = Number(m[3]);
  if (m[6] !== "-") {
    const words = m[6]!.split(" ");
    let i = 0;
    if (words[1]?.startsWith("req-")) fields.global_request_id = words[i++];
    fields.request_id = words[i++];
    for (let k = 0; i < words.length; i++, k++) if (words[i] !== "-") fields[IDENTITY[k] ?? `identity_${k}`] = words[i];
  }
  if (m[7] !== undefined) fields.instance = m[7];
  const record = base(line, "python", time, level, line.text.slice(m[0].length));
  record.service = m[5];
  record.fields = fields;
  return ok(record);
});

const [logsimDefault, cookbook, basicConfig] = PYTHON_FORMATS.map((t) => templateParser(t, "python", true)._unsafeUnwrap()) as [LineParser, LineParser, LineParser];
const SHAPE_MISMATCH = new Set(["does not match the template", "not an oslo.log line"]);
const NOT_PYTHON = "not a Python logging line (logsim's default, the cookbook's, basicConfig's or oslo.log's format)";

/** The default formats; the first character says which can match (`[`, a digit, an upper-case level, or oslo.log's file name). */
export const parsePython: LineParser = (line, env) => {
  const c = line.text.charCodeAt(0);
  let result;
  if (c === 91 /* [ */) result = logsimDefault(line, env);
  else if (c >= 48 && c <= 57) {
    result = cookbook(line, env);
    if (result.isErr()) result = parseOslo(line, env);
  } else {
    result = c >= 65 && c <= 90 ? basicConfig(line, env) : undefined;
    if (!result || result.isErr()) result = parseOslo(line, env);
  }
  // A line of the right shape keeps its own reason (an invalid time, an unknown level); others get the general one.
  return result.isOk() || !SHAPE_MISMATCH.has(result.error.reason) ? result : fail(NOT_PYTHON);
};

const templateOption = () =>
  z
    .string({ error: "expected a Python logging format such as \"%(asctime)s %(levelname)s %(message)s\"" })
    .superRefine((value, ctx) => {
      const compiled = compileTemplateReader(value);
      if (compiled.isErr()) ctx.addIssue({ code: "custom", message: compiled.error });
    });

export const python = definePlugin({
  kind: "parser",
  name: "python",
  description: "Parses Python logging lines: any %(name)s format (the rotating file's), or by default logsim's, the cookbook's, basicConfig's and oslo.log's",
  schema: z.strictObject({
    format: z
      .union([templateOption(), z.array(templateOption()).min(1)])
      .optional()
      .describe('The logging.Formatter format, e.g. "%(asctime)s %(process)d %(levelname)-8s %(name)s: %(message)s", or several tried in order'),
    datefmt: z
      .string({ error: 'expected a strftime format such as "%m/%d/%Y %I:%M:%S %p"' })
      .optional()
      .superRefine((value, ctx) => {
        const compiled = value === undefined ? undefined : compileDatefmt(value);
        if (compiled?.isErr()) ctx.addIssue({ code: "custom", message: compiled.error });
      })
      .describe("The Formatter's datefmt, when %(asctime)s is not Python's default 2026-11-25 10:00:00,123"),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const { tick } = parseEnv(options.timezone, ctx);
    if (options.format === undefined && options.datefmt === undefined) return { parse: (line) => parsePython(line, tick(line)) };
    // Checked by the schema. A datefmt alone applies to the default formats.
    const formats = options.format === undefined
      ? [...PYTHON_FORMATS.map((t) => templateParser(t, "python", true, options.datefmt)._unsafeUnwrap()), parseOslo]
      : (Array.isArray(options.format) ? options.format : [options.format]).map((t) => templateParser(t, "python", false, options.datefmt)._unsafeUnwrap());
    return {
      parse(line) {
        const env = tick(line);
        let result = formats[0]!(line, env);
        for (let i = 1; i < formats.length && result.isErr(); i++) result = formats[i]!(line, env);
        return result;
      },
    };
  },
});
