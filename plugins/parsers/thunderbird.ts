/**
 * `thunderbird`: the alert-labelled syslog of the Thunderbird, Spirit and Liberty supercomputers as
 * published by the USENIX CFDR ("What Supercomputers Say", Oliner and Stearley, 2007) and loghub:
 *
 *   - 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root
 *
 * Columns: alert category (`-` for none), epoch seconds, date, node, then a BSD syslog line whose
 * host is `node/relay` or `facility@node`. The time is the syslog time in the date column's year,
 * its UTC offset read off the epoch (no timezone option needed). No level: the format has none.
 * Fields: alert (only for alert lines), node, host, component, pid.
 */
import { ok } from "../../core/mod.ts";
import { base, fail, MONTHS, withUtf8Check } from "./_common.ts";
import { epochAnchored } from "./_columns.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";

const HEAD = /^(\S+) (\d{9,11}) (\d{4})\.\d\d\.\d\d (\S+) ([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) ?/;
/** `program[pid]: `, `program(detail)[pid]: `, `audit(1131538222.234:0): `: the first word when it ends in `: `. */
const PROGRAM = /^(\S+?)(?:\[(\d+)\])?: /;

export const parseThunderbird: LineParser = withUtf8Check((line) => {
  const m = HEAD.exec(line.text);
  if (!m) return fail("not a CFDR labelled syslog line (alert epoch date node Mon d hh:mm:ss host ...)");
  const month = MONTHS[m[5]!];
  if (!month) return fail(`unknown month "${m[5]}"`);
  const time = epochAnchored(Number(m[2]), Number(m[3]), Number(month), Number(m[6]), Number(m[7]), Number(m[8]), Number(m[9]), 0);
  const rest = line.text.slice(m[0].length);
  const p = PROGRAM.exec(rest);
  const record = base(line, "thunderbird", time, "INFO", p ? rest.slice(p[0].length) : rest);
  const fields: Record<string, unknown> = {};
  if (m[1] !== "-") fields.alert = m[1];
  fields.node = m[4];
  fields.host = m[10];
  if (p) {
    fields.component = p[1];
    if (p[2] !== undefined) fields.pid = Number(p[2]);
  }
  record.fields = fields;
  return ok(record);
});

export const thunderbird = lineParserPlugin("thunderbird", "Parses the CFDR alert-labelled syslog of Thunderbird, Spirit and Liberty (loghub Thunderbird)", parseThunderbird);
