import { test } from "node:test";
import assert from "node:assert/strict";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { huge, line } from "../../tests/_parser-programs.ts";
import { parseRedis } from "./redis.ts";

const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string, env = NOW) => {
  const r = parseRedis(line(text), env);
  assert.ok(r.isOk(), `${text}: ${r.isErr() && r.error.reason}`);
  return r.value;
};

test("Redis's lines: pid, role, time, level mark (the startup lines redis-server writes)", () => {
  const cases: Array<[string, number, string, string, Record<string, unknown>]> = [
    ["1:C 07 Mar 2026 09:00:01.120 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", Date.UTC(2026, 2, 7, 9, 0, 1, 120), "WARN", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", { pid: 1, role: "child", verbosity: "warning" }],
    ["1234:M 07 Mar 2026 09:00:01.123 * Ready to accept connections", Date.UTC(2026, 2, 7, 9, 0, 1, 123), "INFO", "Ready to accept connections", { pid: 1234, role: "master", verbosity: "notice" }],
    ["77:S 07 Mar 2026 09:00:02.000 - Accepted 10.0.0.2:6379", Date.UTC(2026, 2, 7, 9, 0, 2), "DEBUG", "Accepted 10.0.0.2:6379", { pid: 77, role: "replica", verbosity: "verbose" }],
    ["5:X 07 Mar 2026 09:00:03.001 . +monitor master mymaster 127.0.0.1 6379 quorum 2", Date.UTC(2026, 2, 7, 9, 0, 3, 1), "DEBUG", "+monitor master mymaster 127.0.0.1 6379 quorum 2", { pid: 5, role: "sentinel", verbosity: "debug" }],
    ["[4018] 14 Nov 07:01:22.119 * Background saving started by pid 4020", Date.UTC(2025, 10, 14, 7, 1, 22, 119), "INFO", "Background saving started by pid 4020", { pid: 4018, verbosity: "notice" }],
  ];
  for (const [text, time, level, message, fields] of cases) {
    const r = parse(text);
    assert.deepEqual([r.time, r.level, r.service, r.message, r.fields], [time, level, undefined, message, fields], text);
  }
  const local = parse("1234:M 07 Mar 2026 09:00:01.123 * x", envAt(NOW.now, resolveZone("Europe/Paris")._unsafeUnwrap()));
  assert.equal(local.time, Date.UTC(2026, 2, 7, 8, 0, 1, 123), "Redis writes local time: the parser's zone");
});

test("bad input fails cleanly", () => {
  for (const text of ["", "garbage", "1234:Q 07 Mar 2026 09:00:01.123 * x", "1234:M 07 Foo 2026 09:00:01.123 * x", "1234:M 31 Feb 2026 09:00:01.123 * x", "1234:M 07 Mar 09:00:01.123 * x", "\uFFFD1234:M 07 Mar 2026 09:00:01.123 * x", huge("1234:M 07 Mar 2026 ")]) {
    assert.ok(parseRedis(line(text), NOW).isErr(), text.slice(0, 50));
  }
  assert.equal(parse(huge("1234:M 07 Mar 2026 09:00:01.123 * ")).message.length, 10 * 1024 * 1024);
});
