/** The web-server parsers on hostile input: a clean failure with a reason (or a record), never a throw, in bounded time. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RawLine } from "../../core/types.ts";
import { envAt, type ParseResult } from "./_common.ts";
import type { LineParser } from "./_plugin.ts";
import { UTC } from "./_time.ts";
import { apacheFormatParser, compileApacheFormat, parseApache } from "./apache.ts";
import { parseApacheError } from "./apache-error.ts";
import { compileNginxFormat, nginx, nginxFormatParser, parseNginx } from "./nginx.ts";
import { parseNginxError } from "./nginx-error.ts";

const line = (text: string): RawLine => ({ kind: "line", text });
const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const MAIN = compileNginxFormat("main")._unsafeUnwrap();
const PARSERS: Record<string, LineParser> = {
  nginx: parseNginx,
  "nginx main format": nginxFormatParser(MAIN),
  "nginx-error": parseNginxError,
  apache: parseApache,
  "apache combined format": apacheFormatParser(compileApacheFormat("combined")._unsafeUnwrap()),
  "apache-error": parseApacheError,
};

/** Runs every parser on `text`; returns the results, failing the test on a throw or a slow parse. */
function all(text: string, budgetMs = 3000): Record<string, ParseResult> {
  const out: Record<string, ParseResult> = {};
  for (const [name, parse] of Object.entries(PARSERS)) {
    const start = performance.now();
    out[name] = parse(line(text), NOW);
    const ms = performance.now() - start;
    assert.ok(ms < budgetMs, `${name} took ${ms.toFixed(0)} ms on ${text.length} characters`);
  }
  return out;
}

const failsWithReason = (results: Record<string, ParseResult>, pattern?: RegExp) => {
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.isErr(), `${name} accepted it`);
    assert.ok(r.error.reason.length > 0 && !r.error.skip, name);
    if (pattern) assert.match(r.error.reason, pattern, name);
  }
};

test("binary garbage and invalid UTF-8 fail with a reason", () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  for (let n = 0; n < 50; n++) {
    const bytes = Array.from({ length: 1 + (random() % 300) }, () => String.fromCharCode(random() % 256));
    failsWithReason(all(bytes.join("")));
  }
  failsWithReason(all('127.0.0.1 - - [07/Mar/2026:09:00:01 +0000] "GET /\uFFFD HTTP/1.1" 200 1'), /invalid UTF-8/);
  failsWithReason(all(""));
});

test("a quote never closed fails with a reason that says so", () => {
  const unclosed = '127.0.0.1 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1 200 1 "-" "curl';
  const results = all(unclosed);
  failsWithReason(results);
  assert.equal(results["nginx main format"]!._unsafeUnwrapErr().reason, 'no " " after $status (from column 70)', "the request ran to the next quote");
  assert.equal(results.nginx!._unsafeUnwrapErr().reason, "expected a space after the request", "the request ran to the next quote");
  assert.equal(parseApache(line('127.0.0.1 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1 200 1'), NOW)._unsafeUnwrapErr().reason, "the request's quote is never closed");
});

test("10 MB lines: garbage fails and a valid line with a 10 MB user agent parses, both in bounded time", () => {
  const big = "x".repeat(10 * 1024 * 1024);
  failsWithReason(all(big));
  failsWithReason(all(`${'"'.repeat(5 * 1024 * 1024)}${"\\".repeat(5 * 1024 * 1024)}`));
  failsWithReason(all(", client: ".repeat(1024 * 1024)));
  const valid = `127.0.0.1 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "${big}" "-"`;
  for (const parse of [parseNginx, nginxFormatParser(MAIN)]) assert.equal(parse(line(valid), NOW)._unsafeUnwrap().fields?.user_agent, big);
  const error = `2026/03/07 09:00:01 [error] 1#1: *1 ${big}, client: 1.2.3.4, server: s, request: "${'"'.repeat(1000)}", host: "h"`;
  const r = parseNginxError(line(error), NOW)._unsafeUnwrap();
  assert.deepEqual([r.message.length, r.fields?.request, r.fields?.host], [big.length, '"'.repeat(1000), "h"]);
});

test("hostile formats are refused or compiled into a scanner that stays linear", () => {
  const schema = nginx.definition.schema;
  assert.equal(schema.safeParse({ format: "$a".repeat(10_000) }).success, false, "too long");
  assert.equal(schema.safeParse({ format: "$a ".repeat(129) }).success, false, "too many variables");
  // 128 variables between quotes, against lines built to make a backtracking matcher explode.
  const format = Array.from({ length: 128 }, (_, i) => `"$v${i}"`).join(" ");
  const parse = nginxFormatParser(compileNginxFormat(format)._unsafeUnwrap());
  for (const text of ['"'.repeat(2_000_000), '" "'.repeat(700_000), `${"\\".repeat(1_000_000)}" "`.repeat(2), "\"a\" ".repeat(127) + '"'.repeat(1_000_000)]) {
    const start = performance.now();
    const r = parse(line(text), NOW);
    assert.ok(performance.now() - start < 3000, "linear");
    assert.ok(r.isErr() || r.isOk());
  }
  const adjacent = compileNginxFormat("$a$b$c$d$e$f$g$h$i$j")._unsafeUnwrap();
  assert.equal(nginxFormatParser(adjacent)(line("x".repeat(1_000_000)), NOW)._unsafeUnwrap().fields?.a_b_c_d_e_f_g_h_i_j, "x".repeat(1_000_000), "adjacent variables are one field");
  const apacheWeird = compileApacheFormat('%{}i %!200,304<{X}i %{%%}t \\"%>s\\" %%{x}i');
  assert.ok(apacheWeird.isOk(), apacheWeird.isErr() ? apacheWeird.error : "");
});

test("adjacent variables are one field named after both", () => {
  const parse = nginxFormatParser(compileNginxFormat("$host$request_uri $remote_addr$remote_port")._unsafeUnwrap());
  assert.deepEqual(parse(line("example.com/a?b 1.2.3.45678"), NOW)._unsafeUnwrap().fields, { host_request_uri: "example.com/a?b", remote_addr_remote_port: "1.2.3.45678" });
  const apache = apacheFormatParser(compileApacheFormat("%U%q %{Referer}i%>s")._unsafeUnwrap());
  assert.deepEqual(apache(line("/a?b=1 https://r/200"), NOW)._unsafeUnwrap().fields, { path_query: "/a?b=1", referer_status: "https://r/200" });
});
