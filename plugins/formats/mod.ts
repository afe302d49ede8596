/**
 * The line formats beyond json: csv, text, logfmt, apache and syslog. Importing
 * this module registers them, so every sink's `format` option accepts them.
 */
import { registerLineFormat } from "../../core/line-format.ts";
import { apacheFormat } from "./apache.ts";
import { csvFormat } from "./csv.ts";
import { logfmtFormat } from "./logfmt.ts";
import { syslogFormat } from "./syslog.ts";
import { textFormat } from "./text.ts";

export { apacheFormat, csvFormat, logfmtFormat, syslogFormat, textFormat };
export { CSV_COLUMNS, CSV_FIELD_COLUMNS, csvCell } from "./csv.ts";
export { TEXT_SHORT_NAMES } from "./text.ts";
export { SYSLOG_FACILITY, SYSLOG_SD_ID, SYSLOG_SEVERITY } from "./syslog.ts";

/** The formats the generator and the collector support, json included. */
export const GENERATOR_FORMATS = ["json", "csv", "text", "logfmt", "apache", "syslog"] as const;
export type GeneratorFormat = (typeof GENERATOR_FORMATS)[number];

registerLineFormat("csv", csvFormat);
registerLineFormat("text", textFormat);
registerLineFormat("logfmt", logfmtFormat);
registerLineFormat("apache", apacheFormat);
registerLineFormat("syslog", syslogFormat);
