/**
 * `postgresql`: PostgreSQL's server log. The stderr format with the default `log_line_prefix = '%m [%p] '`
 * (`2026-03-07 09:00:01.123 UTC [1234] LOG:  message`), Debian's `%m [%p] %q%u@%d ` and older `%t [%p-%l] %q%u@%d `,
 * and csvlog lines (one CSV record per line; a message with a newline spans lines and is not read here).
 */
import { ok, type Level } from "../../core/mod.ts";
import { base, fail, levelOf, wallTime, withUtf8Check, type ParseEnv } from "./_common.ts";
import { lineParserPlugin, type LineParser } from "./_plugin.ts";
import { offsetMinutes } from "./_time.ts";
import { millis } from "./_clock.ts";
import { csvCells } from "./csv.ts";

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?)$/;
const STDERR = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})? (?:[A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?)) \[(\d+)(?:-(\d+))?\] (?:(\S{0,256}?)@(\S{0,256}) )?([A-Z]+[1-5]?):  /;

/** The zone abbreviations PostgreSQL writes for the common `log_timezone`s, in minutes east of UTC (IST and the like are ambiguous). */
const ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, HKT: 480, AWST: 480, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, SAST: 120,
};

/** PostgreSQL's severities that are not logsim's names; DETAIL, HINT, QUERY, CONTEXT, LOCATION and STATEMENT follow a message. */
const SEVERITY: Record<string, Level> = { LOG: "INFO", NOTICE: "INFO", QUERY: "INFO", LOCATION: "INFO", PANIC: "FATAL" };

function pgTime(text: string, env: ParseEnv, fields: Record<string, unknown>): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const abbr = m[8]!;
  const offset = /^[+-]/.test(abbr) ? offsetMinutes(abbr) : ABBREVIATIONS[abbr.toUpperCase()];
  // A zone name this table does not know: the parser's zone, and the name kept.
  if (offset === undefined) fields.tz = abbr;
  return wallTime(env.zone, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis(m[7]), offset);
}

const levelOfSeverity = (word: string): Level | undefined => SEVERITY[word] ?? levelOf(word);

/** csvlog's columns (PostgreSQL 12: the first 23; 13 adds backend_type; 14 leader_pid and query_id). */
const CSV_COLUMNS = [
  "time", "user", "database", "pid", "connection_from", "session_id", "session_line", "command_tag", "session_start", "virtual_transaction_id",
  "transaction_id", "severity", "sql_state", "message", "detail", "hint", "internal_query", "internal_query_pos", "context", "query", "query_pos",
  "location", "application_name", "backend_type", "leader_pid", "query_id",
];
const NUMERIC = new Set(["pid", "session_line", "transaction_id", "internal_query_pos", "query_pos", "leader_pid", "query_id"]);

function parseCsvlog(line: Parameters<LineParser>[0], env: ParseEnv) {
  const cells = csvCells(line.text);
  if (!cells || cells.length < 23 || cells.length > CSV_COLUMNS.length) return fail("not a PostgreSQL log line (stderr or csvlog)");
  const fields: Record<string, unknown> = {};
  const time = pgTime(cells[0]!, env, fields);
  if (time === undefined) return fail("invalid csvlog time");
  const level = levelOfSeverity(cells[11]!);
  if (!level) return fail(`unknown severity "${cells[11]!.slice(0, 20)}"`);
  for (let i = 1; i < cells.length; i++) {
    const name = CSV_COLUMNS[i]!;
    if (cells[i] === "" || name === "message" || (name === "severity" && cells[i] === level)) continue;
    fields[name] = NUMERIC.has(name) && /^\d{1,15}$/.test(cells[i]!) ? Number(cells[i]) : cells[i];
  }
  const record = base(line, "postgresql", time, level, cells[13]!);
  record.fields = fields;
  return ok(record);
}

export const parsePostgresql: LineParser = withUtf8Check((line, env) => {
  const m = STDERR.exec(line.text);
  if (!m) return line.text.charCodeAt(4) === 45 /* - */ ? parseCsvlog(line, env) : fail("not a PostgreSQL log line");
  const fields: Record<string, unknown> = {};
  const time = pgTime(m[1]!, env, fields);
  if (time === undefined) return fail("invalid timestamp");
  const level = levelOfSeverity(m[6]!);
  if (!level) return fail(`unknown severity "${m[6]}"`);
  fields.pid = Number(m[2]);
  if (m[3] !== undefined) fields.session_line = Number(m[3]);
  if (m[4]) fields.user = m[4];
  if (m[5]) fields.database = m[5];
  if (m[6] !== level) fields.severity = m[6];
  const record = base(line, "postgresql", time, level, line.text.slice(m[0].length));
  record.fields = fields;
  return ok(record);
});

export const postgresql = lineParserPlugin("postgresql", "Parses PostgreSQL server logs: the stderr format (default log_line_prefix, Debian's) and csvlog", parsePostgresql);
