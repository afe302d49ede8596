import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { UTC } from "./_time.ts";
import { huge, line } from "../../tests/_parser-programs.ts";
import { parseMysql } from "./mysql.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string) => {
  const r = parseMysql(line(text), NOW);
  assert.ok(r.isOk(), `${text}: ${r.isErr() && r.error.reason}`);
  return r.value;
};

test("MySQL 8's traditional error log (MySQL 8.0 Reference Manual, 7.4.2.9 Error Log Output Format)", () => {
  const docs: Array<[string, number, string, string, Record<string, unknown>]> = [
    ["2020-08-06T14:25:02.835618Z 0 [Note] [MY-012487] [InnoDB] DDL log recovery : begin", Date.UTC(2020, 7, 6, 14, 25, 2, 835), "INFO", "DDL log recovery : begin", { severity: "Note", thread_id: 0, error_code: "MY-012487", subsystem: "InnoDB" }],
    ["2020-08-06T14:25:02.936146Z 0 [Warning] [MY-010068] [Server] CA certificate /var/mysql/sslinfo/cacert.pem is self signed.", Date.UTC(2020, 7, 6, 14, 25, 2, 936), "WARN", "CA certificate /var/mysql/sslinfo/cacert.pem is self signed.", { severity: "Warning", thread_id: 0, error_code: "MY-010068", subsystem: "Server" }],
    ["2020-08-06T14:25:03.109022Z 5 [Note] [MY-010051] [Server] Event Scheduler: scheduler thread started with id 5", Date.UTC(2020, 7, 6, 14, 25, 3, 109), "INFO", "Event Scheduler: scheduler thread started with id 5", { severity: "Note", thread_id: 5, error_code: "MY-010051", subsystem: "Server" }],
    ["2026-03-07T09:00:01.123456Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.36) starting as process 1", Date.UTC(2026, 2, 7, 9, 0, 1, 123), "INFO", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 1", { severity: "System", thread_id: 0, error_code: "MY-010116", subsystem: "Server" }],
    ["2026-03-07T10:00:01.123456+01:00 7 [ERROR] [MY-000067] [Server] unknown variable 'foo=1'.", Date.UTC(2026, 2, 7, 9, 0, 1, 123), "ERROR", "unknown variable 'foo=1'.", { thread_id: 7, error_code: "MY-000067", subsystem: "Server" }],
  ];
  for (const [text, time, level, message, fields] of docs) {
    const r = parse(text);
    assert.deepEqual([r.time, r.level, r.service, r.message, r.fields], [time, level, undefined, message, fields], text);
  }
});

test("MySQL 5.7, 5.6 and 5.5 lines", () => {
  let r = parse("2026-03-07T09:00:01.123456Z 0 [Note] mysqld (mysqld 5.7.44) starting as process 1 ...");
  assert.deepEqual([r.time, r.level, r.message, r.fields], [Date.UTC(2026, 2, 7, 9, 0, 1, 123), "INFO", "mysqld (mysqld 5.7.44) starting as process 1 ...", { severity: "Note", thread_id: 0 }]);
  r = parse("2016-03-07 09:00:01 1234 [Warning] Buffered warning: Changed limits: max_open_files: 1024");
  assert.deepEqual([r.time, r.level, r.fields], [Date.UTC(2016, 2, 7, 9, 0, 1), "WARN", { severity: "Warning", thread_id: 1234 }]);
  r = parse("160307  9:00:01 [Note] /usr/sbin/mysqld: ready for connections.");
  assert.deepEqual([r.time, r.level, r.message], [Date.UTC(2016, 2, 7, 9, 0, 1), "INFO", "/usr/sbin/mysqld: ready for connections."]);
  r = parse("160307 19:00:01  InnoDB: Completed initialization of buffer pool");
  assert.deepEqual([r.time, r.level, r.message, r.fields], [Date.UTC(2016, 2, 7, 19, 0, 1), "INFO", "InnoDB: Completed initialization of buffer pool", undefined]);
});

test("bad input fails cleanly", () => {
  for (const text of ["", "garbage", "2026-03-07T09:00:01.123456Z 0 [Bogus] x", "2026-02-30T09:00:01.123456Z 0 [Note] x", "\uFFFD2026-03-07T09:00:01.123456Z 0 [Note] x", huge("2026-03-07T09:00:01.123456Z 0 ")]) {
    assert.ok(parseMysql(line(text), NOW).isErr(), text.slice(0, 50));
  }
  assert.equal(parse(huge("2026-03-07T09:00:01.123456Z 0 [Note] ")).message.length, 10 * 1024 * 1024);
});
