import { test } from "node:test";
import assert from "node:assert/strict";
import type { RawLine } from "../../core/types.ts";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { parseNginxError } from "./nginx-error.ts";

const line = (text: string): RawLine => ({ kind: "line", text });
const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);

test("nginx error log: time in the parser's zone, level, pid#tid, connection, trailing pairs as fields", () => {
  const text = '2026/03/07 09:00:01 [error] 1234#5678: *9 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: x, request: "GET /a?b=1 HTTP/1.1", upstream: "http://10.0.0.2:8080/a?b=1", host: "y", referrer: "https://r/"';
  const paris = envAt(NOW.now, resolveZone("Europe/Paris")._unsafeUnwrap());
  const r = parseNginxError(line(text), paris)._unsafeUnwrap();
  assert.equal(r.time, Date.parse("2026-03-07T08:00:01Z"));
  assert.equal(r.level, "ERROR");
  assert.equal(r.message, "upstream timed out (110: Connection timed out) while reading response header from upstream");
  assert.equal(r.origin?.parser, "nginx-error");
  assert.deepEqual(r.fields, { severity: "error", pid: 1234, tid: 5678, connection: 9, client: "1.2.3.4", server: "x", request: "GET /a?b=1 HTTP/1.1", upstream: "http://10.0.0.2:8080/a?b=1", host: "y", referer: "https://r/" });
});

test("nginx error log: every level, lines without a connection or pairs, a message quoting ', client: ', unknown levels", () => {
  const levels = { debug: "DEBUG", info: "INFO", notice: "INFO", warn: "WARN", error: "ERROR", crit: "FATAL", alert: "FATAL", emerg: "FATAL" };
  for (const [name, level] of Object.entries(levels)) {
    const r = parseNginxError(line(`2026/03/07 09:00:01 [${name}] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)`), NOW)._unsafeUnwrap();
    assert.deepEqual([r.level, r.message, r.fields], [level, "bind() to 0.0.0.0:80 failed (98: Address already in use)", { severity: name, pid: 1, tid: 1 }]);
  }
  const tricky = '2026/03/07 09:00:01 [error] 7#7: *3 open() "/srv/a, client: b" failed (2: No such file or directory), client: 1.2.3.4, server: s, request: "GET /a, client: "b" HTTP/1.1", host: "h"';
  const r = parseNginxError(line(tricky), NOW)._unsafeUnwrap();
  assert.equal(r.message, 'open() "/srv/a, client: b" failed (2: No such file or directory)');
  assert.deepEqual([r.fields?.client, r.fields?.request, r.fields?.host], ["1.2.3.4", 'GET /a, client: "b" HTTP/1.1', "h"]);
  const fastcgi = '2026/03/07 09:00:01 [error] 7#7: *3 FastCGI sent in stderr: "PHP message: oops" while reading upstream, client: ::1, server: _, request: "POST / HTTP/2.0", upstream: "fastcgi://unix:/run/php.sock:", host: "h"';
  assert.deepEqual(parseNginxError(line(fastcgi), NOW)._unsafeUnwrap().fields?.upstream, "fastcgi://unix:/run/php.sock:");
  const unclosed = '2026/03/07 09:00:01 [warn] 7#7: *3 something, client: 1.2.3.4, request: "GET / HTTP/1.1, host: h';
  const kept = parseNginxError(line(unclosed), NOW)._unsafeUnwrap();
  assert.equal(kept.message, 'something, client: 1.2.3.4, request: "GET / HTTP/1.1, host: h', "a list that does not parse stays in the message");
  assert.match(parseNginxError(line("2026/03/07 09:00:01 [loud] 1#1: x"), NOW)._unsafeUnwrapErr().reason, /unknown nginx error level "loud"/);
  assert.match(parseNginxError(line("2026/02/30 09:00:01 [error] 1#1: x"), NOW)._unsafeUnwrapErr().reason, /invalid timestamp/);
});
