import { test } from "node:test";
import assert from "node:assert/strict";
import type { RawLine } from "../../core/types.ts";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { parseApacheError } from "./apache-error.ts";

const line = (text: string): RawLine => ({ kind: "line", text });
const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const parse = (text: string, env = NOW) => {
  const r = parseApacheError(line(text), env);
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};

test("Apache 2.4 error log: microseconds, module:level, pid:tid, client:port, AH code; time in the parser's zone", () => {
  const paris = envAt(NOW.now, resolveZone("Europe/Paris")._unsafeUnwrap());
  const r = parse("[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:54321] AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico", paris);
  assert.equal(r.time, Date.parse("2011-09-09T08:42:29.902Z"));
  assert.equal(r.level, "ERROR");
  assert.equal(r.message, "File does not exist: /usr/local/apache2/htdocs/favicon.ico");
  assert.equal(r.origin?.parser, "apache-error");
  assert.deepEqual(r.fields, { severity: "error", module: "core", pid: 35708, tid: 4328636416, client: "72.15.99.187", port: 54321, error_code: "AH00128" });
  const debug = parse("[Sun Nov 29 14:02:41.432460 2026] [authz_core:trace3] [pid 1:tid 2] mod_authz_core.c(815): [client ::1:51052] AH01626: authorization result: granted, referer http://x/y");
  assert.deepEqual([debug.level, debug.message], ["DEBUG", "authorization result: granted"]);
  assert.deepEqual(debug.fields, { severity: "trace3", module: "authz_core", pid: 1, tid: 2, source_file: "mod_authz_core.c", source_line: 815, client: "::1", port: 51052, error_code: "AH01626", referer: "http://x/y" });
  const prefork = parse("[Sat Mar 07 09:00:01.000001 2026] [mpm_prefork:notice] [pid 9] AH00163: Apache/2.4.71 configured -- resuming normal operations");
  assert.deepEqual([prefork.level, prefork.fields?.pid, prefork.fields?.tid, prefork.fields?.error_code], ["INFO", 9, undefined, "AH00163"]);
  const denied = parse("[Sat Mar 07 09:00:01 2026] [core:crit] [pid 9:tid 10] (13)Permission denied: [client 10.0.0.1:4000] AH00529: /srv/.htaccess pcfg_openfile: unable to check htaccess file");
  assert.deepEqual([denied.level, denied.message], ["FATAL", "(13)Permission denied: [client 10.0.0.1:4000] AH00529: /srv/.htaccess pcfg_openfile: unable to check htaccess file"]);
});

test("Apache 2.2 error log, and the CLF and ISO times of custom ErrorLogFormats", () => {
  const r = parse("[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] Directory index forbidden by rule: /var/www/html/, referer: http://example.com/");
  assert.deepEqual([r.time, r.level, r.message], [Date.parse("2005-12-04T04:47:44Z"), "ERROR", "Directory index forbidden by rule: /var/www/html/"]);
  assert.deepEqual(r.fields, { severity: "error", client: "1.2.3.4", referer: "http://example.com/" });
  assert.deepEqual(parse("[Sun Dec 04 04:47:44 2005] [warn] [client ::1] x").fields, { severity: "warn", client: "::1" }, "2.2 writes no port");
  assert.equal(parse("[01/Mar/2021:12:00:19 +0100] [ab:alert] [pid 1] x").time, Date.parse("2021-03-01T11:00:19Z"));
  assert.equal(parse("[2021-06-04 15:40:27.138633] [php7:emerg] [pid 4803] x").time, Date.parse("2021-06-04T15:40:27.138Z"));
  for (const [text, reason] of [
    ["[Sun Dec 04 04:47:44 2005] [loud] x", /unknown Apache error level "loud"/],
    ["[Sun Dec 34 04:47:44 2005] [error] x", /invalid timestamp/],
    ["Sun Dec 04 04:47:44 2005 [error] x", /not an Apache error log line/],
  ] as const) assert.match(parseApacheError(line(text), NOW)._unsafeUnwrapErr().reason, reason);
});
