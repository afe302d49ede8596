/**
 * The parser plugins: json, plain-text, logfmt, csv, regex, apache, apache-error,
 * nginx, nginx-error, syslog, journald, winston-text, the real-world column layouts (logcat,
 * windows-cbs, bluegene-ras, thunderbird, lanl-hpc, hdfs, healthapp, proxifier),
 * timestamped (any line led by a timestamp), the application formats (python, java,
 * ruby, klog, postgresql, mysql, redis) and auto; and the decoding ones, docker,
 * cri and container (either), whose content the parsers after them read. Each turns a RawLine into a record with a
 * normalised timestamp (ms, written as ISO 8601 UTC) and level
 * (DEBUG/INFO/WARN/ERROR/FATAL), and origin {file, offset, parser}.
 */
import { z } from "zod";
import { compileSafeRegex, definePlugin, regexOption } from "../../core/mod.ts";
import { fail, fromObject } from "./_common.ts";
import { parseEnv, timezoneOption } from "./_plugin.ts";
import { CsvParser } from "./csv.ts";
import { apache } from "./apache.ts";
import { apacheError } from "./apache-error.ts";
import { nginx } from "./nginx.ts";
import { nginxError } from "./nginx-error.ts";
import { auto } from "./auto.ts";
import { container, cri } from "./cri.ts";
import { docker } from "./docker.ts";
import { json } from "./json.ts";
import { journald } from "./journald.ts";
import { logfmt } from "./logfmt.ts";
import { plainText } from "./plain-text.ts";
import { syslog } from "./syslog.ts";
import { winstonText } from "./winston-text.ts";
import { python } from "./python.ts";
import { java } from "./java.ts";
import { ruby } from "./ruby.ts";
import { klog } from "./klog.ts";
import { postgresql } from "./postgresql.ts";
import { mysql } from "./mysql.ts";
import { redis } from "./redis.ts";
import { logcat } from "./logcat.ts";
import { windowsCbs } from "./windows-cbs.ts";
import { blueGeneRas } from "./bluegene-ras.ts";
import { thunderbird } from "./thunderbird.ts";
import { lanlHpc } from "./lanl-hpc.ts";
import { hdfs } from "./hdfs.ts";
import { healthApp } from "./healthapp.ts";
import { proxifier } from "./proxifier.ts";
import { timestamped } from "./timestamped.ts";

export { parseApache, apache, apacheFormatParser, compileApacheFormat, APACHE_FORMATS } from "./apache.ts";
export { parseApacheError, apacheError } from "./apache-error.ts";
export { parseNginx, nginx, nginxFormatParser, compileNginxFormat, NGINX_FORMATS } from "./nginx.ts";
export { parseNginxError, nginxError } from "./nginx-error.ts";
export { parseAuto, auto, AUTO_ORDER, AUTO_CANDIDATES, createAutoParser, UNRECOGNIZED, type AutoCandidate } from "./auto.ts";
export { parseJson, json } from "./json.ts";
export { parseJournald, journald } from "./journald.ts";
export { parseLogfmt, logfmt } from "./logfmt.ts";
export { parsePlainText, plainText, plainTextParser, type PlainTextOptions } from "./plain-text.ts";
export { parseSyslog, syslog } from "./syslog.ts";
export { parseWinstonText, winstonText, WINSTON_LEVELS } from "./winston-text.ts";
export { docker } from "./docker.ts";
export { cri, container } from "./cri.ts";
export { ContainerDecoder, decodeContainer, containerFormatOf, parseDecoded, readCri, readDocker, type ContainerLine, type ContainerFormat } from "./_container.ts";
export { kubernetesOf, type Kubernetes } from "./_kubernetes.ts";
export { renderTemplate } from "./_message-template.ts";
export { parsePython, parseOslo, python, templateParser, PYTHON_FORMATS } from "./python.ts";
export { parseJava, java } from "./java.ts";
export { parseRuby, ruby } from "./ruby.ts";
export { parseKlog, klog } from "./klog.ts";
export { parsePostgresql, postgresql } from "./postgresql.ts";
export { parseMysql, mysql } from "./mysql.ts";
export { parseRedis, redis } from "./redis.ts";
export { CsvParser, csvCells } from "./csv.ts";
export { parseLogcat, logcat } from "./logcat.ts";
export { parseWindowsCbs, windowsCbs } from "./windows-cbs.ts";
export { parseBlueGeneRas, blueGeneRas } from "./bluegene-ras.ts";
export { parseThunderbird, thunderbird } from "./thunderbird.ts";
export { parseLanlHpc, lanlHpc } from "./lanl-hpc.ts";
export { parseHdfs, hdfs } from "./hdfs.ts";
export { parseHealthApp, healthApp } from "./healthapp.ts";
export { parseProxifier, proxifier } from "./proxifier.ts";
export { parseTimestamped, timestamped } from "./timestamped.ts";
export { parseTime, envAt, secondCache, type ParseEnv, type SecondCache } from "./_common.ts";
export { lineParserPlugin, statefulLineParserPlugin, timezoneOption, type LineParser } from "./_plugin.ts";
export { resolveZone, type Zone } from "./_time.ts";

export const csv = definePlugin({
  kind: "parser",
  name: "csv",
  description: "Parses CSV lines; the first line of each file is its header",
  schema: z.strictObject({
    columns: z.array(z.string()).min(1).optional().describe("Column names, for files without a header line"),
    delimiter: z.string().length(1, { error: "expected one character" }).default(",").describe("Cell delimiter"),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const parser = new CsvParser(ctx.runtime.fs, options);
    const { tick } = parseEnv(options.timezone, ctx);
    return { parse: (line) => parser.parse(line, tick(line)) };
  },
});

export const regex = definePlugin({
  kind: "parser",
  name: "regex",
  parallel: true,
  description: "Parses lines with a regular expression's named groups (timestamp, level, service, message, and any field)",
  schema: z.strictObject({
    pattern: regexOption().describe("A regular expression with named groups, e.g. ^(?<timestamp>\\S+) (?<level>\\w+) (?<message>.*)$"),
    timezone: timezoneOption(),
  }),
  create: (options, ctx) => {
    const re = compileSafeRegex(options.pattern)._unsafeUnwrap(); // Checked by the schema.
    const { tick } = parseEnv(options.timezone, ctx);
    const noMatch = fail("no match"); // Made once: a line this parser refuses allocates nothing.
    return {
      parse(line) {
        const groups = re.groups(line.text);
        if (!groups) return noMatch;
        // The groups object has no prototype (RegExp's): the copy, without unmatched groups, is an ordinary object.
        const obj: Record<string, unknown> = {};
        for (const k in groups) {
          const v = groups[k];
          if (v !== undefined) obj[k] = v;
        }
        return fromObject(obj, line, "regex", tick(line));
      },
    };
  },
});

export const parsers = [json, plainText, logfmt, csv, regex, apache, apacheError, nginx, nginxError, syslog, journald, python, java, ruby, klog, postgresql, mysql, redis, winstonText, docker, cri, container, logcat, windowsCbs, blueGeneRas, thunderbird, lanlHpc, hdfs, healthApp, proxifier, timestamped, auto];
