import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { huge, line } from "../../tests/_parser-programs.ts";
import { parsePostgresql } from "./postgresql.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string, env = NOW) => {
  const r = parsePostgresql(line(text), env);
  assert.ok(r.isOk(), `${text}: ${r.isErr() && r.error.reason}`);
  return r.value;
};

test("the default log_line_prefix '%m [%p] ' (PostgreSQL 10+), with the zone PostgreSQL names", () => {
  const r = parse("2026-03-07 09:00:01.123 UTC [1234] LOG:  database system is ready to accept connections");
  assert.deepEqual([r.time, r.level, r.service, r.message, r.fields], [Date.UTC(2026, 2, 7, 9, 0, 1, 123), "INFO", undefined, "database system is ready to accept connections", { pid: 1234, severity: "LOG" }]);
  assert.equal(parse("2026-03-07 10:00:01.123 CET [1] LOG:  x").time, Date.UTC(2026, 2, 7, 9, 0, 1, 123));
  assert.equal(parse("2026-07-07 05:00:01.123 EDT [1] LOG:  x").time, Date.UTC(2026, 6, 7, 9, 0, 1, 123));
  assert.equal(parse("2026-03-07 06:00:01.123 -03 [1] LOG:  x").time, Date.UTC(2026, 2, 7, 9, 0, 1, 123));
  const ist = parse("2026-03-07 14:30:01.123 IST [1] LOG:  x", envAt(NOW.now, resolveZone("Asia/Kolkata")._unsafeUnwrap()));
  assert.deepEqual([ist.time, ist.fields?.tz], [Date.UTC(2026, 2, 7, 9, 0, 1, 123), "IST"], "an ambiguous name: the parser's zone");
});

test("severities, Debian's user@database and the older '%t [%p-%l] ' prefix", () => {
  const r = parse('2026-03-07 09:00:01.123 UTC [4321] app@shop ERROR:  relation "orders" does not exist at character 15');
  assert.deepEqual([r.level, r.message, r.fields], ["ERROR", 'relation "orders" does not exist at character 15', { pid: 4321, user: "app", database: "shop" }]);
  const s = parse("2026-03-07 09:00:01 UTC [4321-2] app@shop STATEMENT:  select * from orders;");
  assert.deepEqual([s.time, s.level, s.fields], [Date.UTC(2026, 2, 7, 9, 0, 1), "INFO", { pid: 4321, session_line: 2, user: "app", database: "shop", severity: "STATEMENT" }]);
  const levels = ["DEBUG1", "INFO", "NOTICE", "WARNING", "ERROR", "FATAL", "PANIC", "DETAIL", "HINT", "QUERY", "CONTEXT", "LOCATION"].map((w) => parse(`2026-03-07 09:00:01.123 UTC [1] ${w}:  x`).level);
  assert.deepEqual(levels, ["DEBUG", "INFO", "INFO", "WARN", "ERROR", "FATAL", "FATAL", "INFO", "INFO", "INFO", "INFO", "INFO"]);
  assert.deepEqual(parse("2026-03-07 09:00:01.123 UTC [9] [unknown]@[unknown] LOG:  connection received: host=[local]").fields, { pid: 9, user: "[unknown]", database: "[unknown]", severity: "LOG" });
});

test("csvlog lines, in the documented column order (PostgreSQL docs, 20.8.4 Using CSV-Format Log Output)", () => {
  const r = parse('2026-03-07 09:00:01.123 UTC,"postgres","mydb",1234,"[local]",65e9841d.4d2,3,"SELECT",2026-03-07 09:00:00 UTC,3/4,0,ERROR,42P01,"relation ""foo"" does not exist",,,,,,"select * from foo;",15,,"psql","client backend",,0');
  assert.deepEqual([r.time, r.level, r.message], [Date.UTC(2026, 2, 7, 9, 0, 1, 123), "ERROR", 'relation "foo" does not exist']);
  assert.deepEqual(r.fields, {
    user: "postgres", database: "mydb", pid: 1234, connection_from: "[local]", session_id: "65e9841d.4d2", session_line: 3, command_tag: "SELECT",
    session_start: "2026-03-07 09:00:00 UTC", virtual_transaction_id: "3/4", transaction_id: 0, sql_state: "42P01", query: "select * from foo;", query_pos: 15,
    application_name: "psql", backend_type: "client backend", query_id: 0,
  });
});

test("bad input fails cleanly", () => {
  for (const text of ["", "garbage", "2026-03-07 09:00:01.123 UTC [1] BOGUS:  x", "2026-03-07 09:00:01.123 UTC [1] LOG: one space", "2026-02-30 09:00:01.123 UTC [1] LOG:  x", "a,b,c", "\uFFFD2026-03-07 09:00:01.123 UTC [1] LOG:  x", huge("2026-03-07 09:00:01.123 UTC [1] "), huge("2026-03-07 09:00:01.123 UTC,")]) {
    assert.ok(parsePostgresql(line(text), NOW).isErr(), text.slice(0, 50));
  }
  assert.equal(parse(huge("2026-03-07 09:00:01.123 UTC [1] LOG:  ")).message.length, 10 * 1024 * 1024);
});
