/**
 * The web-server parsers against Vector's reference parses (parse_apache_log, parse_common_log,
 * parse_nginx_log) and loghub's real Apache error log. Intentional differences from Vector:
 * - field names are logsim's (host -> ip, identity -> ident, user -> user_id, size -> bytes,
 *   referrer -> referer, agent -> user_agent, thread -> tid, cid -> connection); the request and
 *   Apache's message are the record's message, the timestamp its time;
 * - `-` and empty values are absent, not strings;
 * - nginx's default parser reads a trailing quoted value as `main`'s x_forwarded_for (Vector's
 *   `combined` calls it compression, for $gzip_ratio): a `format` with $gzip_ratio names it so;
 * - 2.4 error-log microseconds are milliseconds (Vector reads `.138633` as 138633 ns);
 * - thread ids are numbers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { ROOT } from "../../tests/_helpers.ts";
import { envAt, type ParseEnv, type ParseResult } from "./_common.ts";
import type { LineParser } from "./_plugin.ts";
import { UTC } from "./_time.ts";
import { parseApache } from "./apache.ts";
import { parseApacheError } from "./apache-error.ts";
import { compileNginxFormat, nginxFormatParser, parseNginx } from "./nginx.ts";
import { parseNginxError } from "./nginx-error.ts";

const CONFORMANCE = join(ROOT, "..", "shared", "conformance");
const VECTOR = join(CONFORMANCE, "vector", "vrl-examples.json");
const APACHE_2K = join(CONFORMANCE, "loghub", "Apache_2k.log");
const line = (text: string): RawLine => ({ kind: "line", text });
const NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);

interface Example {
  function: string;
  title: string;
  format: string | null;
  input: string;
  vector: Record<string, unknown>;
}

const ACCESS = { host: "ip", identity: "ident", user: "user_id", size: "bytes", referrer: "referer", agent: "user_agent" };
const NGINX_ACCESS = { client: "ip", user: "user_id", size: "bytes", agent: "user_agent", compression: "x_forwarded_for" };
const NGINX_MAIN = { remote_addr: "ip", remote_user: "user_id", body_bytes_size: "bytes", http_referer: "referer", http_user_agent: "user_agent", http_x_forwarded_for: "x_forwarded_for" };
const UPSTREAMINFO =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';

/** The parser and field names that read an example's function and format. */
function readerOf(e: Example): [LineParser, Record<string, string>] | undefined {
  if (e.function === "parse_common_log" || (e.function === "parse_apache_log" && e.format !== "error")) return [parseApache, ACCESS];
  if (e.function === "parse_apache_log") return [parseApacheError, { thread: "tid" }];
  if (e.function !== "parse_nginx_log") return undefined;
  if (e.format === "error") return [parseNginxError, { cid: "connection" }];
  if (e.format === "main") return [parseNginx, NGINX_MAIN];
  if (e.format === "ingress_upstreaminfo") return [nginxFormatParser(compileNginxFormat(UPSTREAMINFO)._unsafeUnwrap()), NGINX_MAIN];
  return [parseNginx, NGINX_ACCESS];
}

/** Vector's 2.4 error-log timestamps carry microseconds as nanoseconds; logsim keeps milliseconds. */
const vectorTime = (s: string) => Date.parse(s.replace(/\.0*(\d{3})\d*Z$/, ".$1Z"));

function compare(e: Example, record: LogRecord, names: Record<string, string>): void {
  const fields = record.fields ?? {};
  const expectedKeys = new Set<string>();
  for (const [key, value] of Object.entries(e.vector)) {
    const where = `${e.function} ${e.title}: ${key}`;
    if (key === "timestamp") assert.equal(record.time, vectorTime(value as string), where);
    else if (key === "message" || (key === "request" && e.format !== "error")) assert.equal(record.message, value, where);
    else {
      const name = names[key] ?? key;
      expectedKeys.add(name);
      if (value === "-" || value === "") assert.equal(fields[name], undefined, `${where}: "-" and "" are absent`);
      else assert.equal(fields[name], key === "thread" ? Number(value) : value, where);
    }
  }
  // Everything logsim adds is the request's parts, the error-log severity, or (ingress) fields Vector's example does not list.
  const extra = Object.keys(fields).filter((k) => !expectedKeys.has(k) && !["method", "path", "protocol", "severity"].includes(k));
  if (e.format !== "ingress_upstreaminfo") assert.deepEqual(extra, [], `${e.function} ${e.title}: fields Vector does not give`);
}

test("Vector's parse_apache_log, parse_common_log and parse_nginx_log examples", (t) => {
  if (!existsSync(VECTOR)) return t.skip(`${VECTOR} is absent`);
  const examples = (JSON.parse(readFileSync(VECTOR, "utf8")) as { examples: Example[] }).examples;
  let checked = 0;
  for (const e of examples) {
    const reader = readerOf(e);
    if (!reader) continue;
    const result: ParseResult = reader[0](line(e.input), NOW);
    assert.ok(result.isOk(), `${e.function} ${e.title}: ${result.isErr() ? result.error.reason : ""}`);
    compare(e, result.value, reader[1]);
    checked++;
  }
  assert.ok(checked >= 12, `checked ${checked} examples`);
});

test("Vector's examples, the details: levels, the binary request kept as written, ingress upstream fields, $gzip_ratio", (t) => {
  if (!existsSync(VECTOR)) return t.skip(`${VECTOR} is absent`);
  const examples = (JSON.parse(readFileSync(VECTOR, "utf8")) as { examples: Example[] }).examples;
  const input = (title: string, fn = "parse_nginx_log") => line(examples.find((e) => e.title === title && e.function === fn)!.input);
  const binary = parseNginx(input("combined, binary request"), NOW)._unsafeUnwrap();
  assert.deepEqual([binary.level, binary.message, binary.fields?.method], ["WARN", "]&\\xDF\\xBDV\\xE7\\xBB<\\x10;\\xA2b}\\xDFM\\x1D", undefined]);
  assert.equal(parseApacheError(input("error", "parse_apache_log"), NOW)._unsafeUnwrap().level, "FATAL", "alert");
  assert.equal(parseApacheError(input("error, php7 emerg", "parse_apache_log"), NOW)._unsafeUnwrap().level, "FATAL", "emerg");
  assert.equal(parseNginxError(input("error"), NOW)._unsafeUnwrap().level, "ERROR");
  const ingress = nginxFormatParser(compileNginxFormat(UPSTREAMINFO)._unsafeUnwrap())(input("ingress_upstreaminfo"), NOW)._unsafeUnwrap();
  assert.deepEqual(
    [ingress.fields?.proxy_upstream_name, ingress.fields?.proxy_alternative_upstream_name, ingress.fields?.upstream_addr, ingress.fields?.upstream_response_length, ingress.fields?.upstream_response_time, ingress.fields?.req_id],
    ["some-upstream-service-9000", "some-other-upstream-5000", "10.0.50.80:9000", 19437, 0.049, "752178adb17130b291aefd8c386279e7"],
  );
  const gzip = nginxFormatParser(compileNginxFormat(`${UPSTREAMINFO.slice(0, UPSTREAMINFO.indexOf(" $request_length"))} "$gzip_ratio"`)._unsafeUnwrap());
  assert.equal(gzip(input("combined + compression"), NOW)._unsafeUnwrap().fields?.gzip_ratio, 2.75);
});

test("loghub Apache_2k.log: every line read with its own time and level", (t) => {
  if (!existsSync(APACHE_2K)) return t.skip(`${APACHE_2K} is absent`);
  const env: ParseEnv = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
  const lines = readFileSync(APACHE_2K, "utf8").split("\n").filter((l) => l !== "");
  let read = 0;
  const levels: Record<string, number> = {};
  for (const text of lines) {
    const r = parseApacheError(line(text), env);
    assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
    const m = /^\[\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) (\d{4})\] \[(\w+)\] /.exec(text)!;
    assert.equal(r.value.time, Date.parse(`${m[2]} ${m[1]} ${m[4]} ${m[3]} UTC`), text);
    assert.equal(r.value.fields?.severity, m[5]);
    assert.equal(r.value.level, m[5] === "error" ? "ERROR" : m[5] === "notice" ? "INFO" : r.value.level);
    assert.ok(!r.value.message.startsWith("["), `the message has no bracket prefix left: ${text}`);
    levels[r.value.level] = (levels[r.value.level] ?? 0) + 1;
    read++;
  }
  assert.equal(read, lines.length);
  assert.deepEqual(levels, { INFO: 1405, ERROR: 595 });
  const client = parseApacheError(line(lines.find((l) => l.includes("[client "))!), env)._unsafeUnwrap();
  assert.match(String(client.fields?.client), /^\d+\.\d+\.\d+\.\d+$/);
});
