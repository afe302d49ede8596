/**
 * `bluegene-ras`: IBM Blue Gene/L RAS event logs as published by the USENIX CFDR ("What
 * Supercomputers Say", Oliner and Stearley, 2007) and loghub's BGL set:
 *
 *   - 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO message
 *
 * Columns: alert category (`-` for none), epoch seconds, date, node, event time, reporting node,
 * event type, component, severity, message. The leading alert column may be absent.
 * The time is the event time with its microseconds, its UTC offset read off the epoch column
 * (so no timezone option is needed); the epoch alone when the two disagree.
 * Fields: alert (only for alert lines), node, reporter (when it differs from node), type, component,
 * and severity when it is no level name logsim knows.
 */
import { normalizeLevel, ok, type Level } from "../../core/mod.ts";
import { base, fail, withUtf8Check } from "./_common.ts";
import { epochAnchored, fractionMs } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const BGL = /^(?:(\S+) )?(\d{9,11}) \d{4}\.\d\d\.\d\d (\S+) (\d{4})-(\d\d)-(\d\d)-(\d\d)\.(\d\d)\.(\d\d)\.(\d{1,6}) (\S+) (\S+) (\S+) ([A-Z]+)(?: |$)/;

/** BG/L severities, lowest to highest: DEBUG, INFO, WARNING, SEVERE, ERROR, FATAL, FAILURE. */
const severity = (word: string): Level | undefined => (word === "FAILURE" ? "FATAL" : word === "SEVERE" ? "ERROR" : normalizeLevel(word));

export const parseBlueGeneRas: LineParser = withUtf8Check((line) => {
  const m = BGL.exec(line.text);
  if (!m) return fail("not a Blue Gene/L RAS line (alert epoch date node time node type component severity)");
  const num = (i: number) => Number(m[i]);
  const time = epochAnchored(num(2), num(4), num(5), num(6), num(7), num(8), num(9), fractionMs(m[10]));
  const level = severity(m[14]!);
  const record = base(line, "bluegene-ras", time, level ?? "INFO", line.text.slice(m[0].length));
  const fields: Record<string, unknown> = {};
  if (m[1] !== undefined && m[1] !== "-") fields.alert = m[1];
  fields.node = m[3];
  if (m[11] !== m[3]) fields.reporter = m[11];
  fields.type = m[12];
  fields.component = m[13];
  if (!level) fields.severity = m[14];
  record.fields = fields;
  return ok(record);
});

export const blueGeneRas = lineParserPlugin("bluegene-ras", "Parses Blue Gene/L RAS event lines (CFDR / loghub BGL)", parseBlueGeneRas);
