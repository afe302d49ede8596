import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { freePort, linesOf, missing, NGINX_BIN, startServer } from "../../tests/_web-servers.ts";
import { envAt, type ParseResult } from "./_common.ts";
import { UTC } from "./_time.ts";
import { compileNginxFormat, nginx, nginxFormatParser, parseNginx } from "./nginx.ts";
import { parseNginxError } from "./nginx-error.ts";

const line = (text: string): RawLine => ({ kind: "line", text });
const ok = (r: ParseResult, text = ""): LogRecord => {
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
const UTC_NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);

const TIMED = '$remote_addr [$time_iso8601] $msec "$request" $status $bytes_sent rt=$request_time urt="$upstream_response_time" uct=$upstream_connect_time ust="$upstream_status" ua=$upstream_addr host=$host xff="$http_x_forwarded_for" conn=$connection';

test("nginx default: combined and main, level from the status", () => {
  const combined = '203.0.113.9 - alice [07/Mar/2026:09:00:01 +0100] "GET /a?b=1 HTTP/1.1" 503 512 "https://ref/" "curl/8.5.0"';
  const r = ok(parseNginx(line(combined), UTC_NOW));
  assert.equal(r.time, Date.parse("2026-03-07T08:00:01Z"));
  assert.equal(r.level, "ERROR");
  assert.equal(r.message, "GET /a?b=1 HTTP/1.1");
  assert.equal(r.origin?.parser, "nginx");
  assert.deepEqual(r.fields, { ip: "203.0.113.9", user_id: "alice", method: "GET", path: "/a?b=1", protocol: "HTTP/1.1", status: 503, bytes: 512, referer: "https://ref/", user_agent: "curl/8.5.0" });
  const main = ok(parseNginx(line(`${combined.replace("503", "404")} "1.2.3.4, 10.0.0.1"`), UTC_NOW));
  assert.equal(main.level, "WARN");
  assert.equal(main.fields?.x_forwarded_for, "1.2.3.4, 10.0.0.1");
  const common = ok(parseNginx(line('::1 - - [07/Mar/2026:09:00:01 +0000] "HEAD / HTTP/1.0" 200 -'), UTC_NOW));
  assert.deepEqual([common.level, common.fields], ["INFO", { ip: "::1", method: "HEAD", path: "/", protocol: "HTTP/1.0", status: 200 }]);
});

test("nginx format: variables typed, literals exact, escapes undone, failures say where", () => {
  const parse = nginxFormatParser(compileNginxFormat(TIMED)._unsafeUnwrap());
  const text = '10.0.0.7 [2026-03-07T09:00:01+01:00] 1772870401.123 "GET /x\\x22y HTTP/2.0" 502 310 rt=0.105 urt="0.001, 0.100 : -" uct=0.000, 0.001 ust="502, 200" ua=127.0.0.1:9, 127.0.0.1:8 host=example.com xff="-" conn=42';
  const r = ok(parse(line(text), UTC_NOW), text);
  assert.equal(r.time, 1772870401123, "$msec, the most precise time, wins");
  assert.equal(r.level, "ERROR");
  assert.equal(r.message, 'GET /x"y HTTP/2.0');
  assert.deepEqual(r.fields, {
    ip: "10.0.0.7", method: "GET", path: '/x"y', protocol: "HTTP/2.0", status: 502, bytes_sent: 310, request_time: 0.105,
    upstream_response_time: [0.001, 0.1, null], upstream_connect_time: [0, 0.001], upstream_status: [502, 200],
    upstream_addr: "127.0.0.1:9, 127.0.0.1:8", host: "example.com", connection: 42,
  });
  const bad = parse(line(text.replace(" rt=", " rt:")), UTC_NOW);
  assert.ok(bad.isErr());
  assert.equal(bad.error.reason, 'no " rt=" after $bytes_sent (from column 80)');
  const clf = nginxFormatParser(compileNginxFormat("[$time_local] $status")._unsafeUnwrap());
  assert.equal(clf(line("[07/Mar/2026:09:00:01 +0000)) 200"), UTC_NOW)._unsafeUnwrapErr().reason, 'expected "] " at column 28 (after $time_local)');
  assert.match(parse(line(text.replace("[2026-03-07T09", "[2026-13-07T09")), UTC_NOW)._unsafeUnwrapErr().reason, /invalid time in \$time_iso8601/);
  const quoted = nginxFormatParser(compileNginxFormat('"$request"')._unsafeUnwrap());
  assert.equal(quoted(line('"GET / HTTP/1.1" extra'), UTC_NOW)._unsafeUnwrapErr().reason, "text after the end of the format at column 17");
});

test("nginx format: directive pasted from nginx.conf, ${braces}, unknown variables, adjacent variables, refusals", () => {
  const pasted = `log_format main escape=json '$remote_addr - $remote_user [$time_local] "$request" '\n    '$status $body_bytes_sent "\${http_referer}" "$http_user_agent" $custom_thing $scheme$host';`;
  const parse = nginxFormatParser(compileNginxFormat(pasted)._unsafeUnwrap());
  const r = ok(parse(line('1.2.3.4 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "a \\"b\\" \\u00e9" 17 httpsexample.com'), UTC_NOW));
  assert.deepEqual(r.fields, { ip: "1.2.3.4", method: "GET", path: "/", protocol: "HTTP/1.1", status: 200, bytes: 5, user_agent: 'a "b" é', custom_thing: 17, scheme_host: "httpsexample.com" });
  for (const [format, reason] of [
    ["just text", /no variables/],
    ["$remote_addr $", /"\$" at column 14 is not followed by a variable name/],
    ["${remote_addr", /not followed by a variable name/],
    ["log_format x '$a", /quoted strings/],
    ["$a ".repeat(200), /at most 128/],
    ["x".repeat(5000), /at most 4096/],
  ] as const) {
    const compiled = compileNginxFormat(format);
    assert.ok(compiled.isErr(), format);
    assert.match(compiled.error, reason);
  }
  assert.ok(nginx.definition.schema.safeParse({ format: "$a $constructor $__proto__ [$toString]" }).success);
  const odd = nginxFormatParser(compileNginxFormat("$a $constructor $__proto__")._unsafeUnwrap());
  const o = ok(odd(line("1 2 3"), UTC_NOW));
  assert.equal(Object.getPrototypeOf(o.fields), Object.prototype);
  assert.deepEqual(Object.entries(o.fields!), [["a", 1], ["constructor", 2], ["__proto__", 3]]);
  assert.equal(nginx.definition.schema.safeParse({ format: "$" }).success, false);
});

/** Sends raw bytes (a request fetch cannot send: quotes and a backslash in the path) and waits for the reply. */
function rawRequest(port: number, request: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(Buffer.from(request, "utf8")));
    socket.on("data", () => socket.end());
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
}

test("real nginx: combined, main and a custom format, and its error log, parsed back to what was sent", async (t) => {
  const why = missing("nginx");
  if (why) return t.skip(why);
  const { dir, cleanup } = tempDir("logsim-nginx-");
  t.after(cleanup);
  const [port, deadPort] = [await freePort(), await freePort()];
  mkdirSync(join(dir, "html"));
  writeFileSync(join(dir, "html", "index.html"), "hello\n");
  const log = (name: string) => join(dir, `${name}.log`);
  writeFileSync(
    join(dir, "nginx.conf"),
    `error_log ${log("error")} info;
pid ${join(dir, "nginx.pid")};
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
  log_format timed '${TIMED}';
  access_log ${log("combined")} combined;
  access_log ${log("main")} main;
  access_log ${log("timed")} timed;
  upstream pair { server 127.0.0.1:${deadPort}; server 127.0.0.1:${port}; }
  server {
    listen 127.0.0.1:${port}; server_name test.local; root ${dir}/html;
    location /up { proxy_pass http://pair/; }
  }
}
`,
  );
  const server = await startServer(NGINX_BIN, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off; master_process off;"], port);
  t.after(server.stop);
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await fetch(`${base}/`, { headers: { "user-agent": "logsim-test/1" } }).then((r) => (r.body?.cancel(), r.status))), 200);
  assert.equal((await fetch(`${base}/missing.html`, { headers: { referer: "https://example.com/from" } }).then((r) => (r.body?.cancel(), r.status))), 404);
  await rawRequest(port, `GET /q"uote\\d?x="y" HTTP/1.1\r\nHost: test.local\r\nUser-Agent: Mozilla "quoted" \\back é\r\nConnection: close\r\n\r\n`);
  assert.equal((await fetch(`${base}/`, { headers: { "x-forwarded-for": "198.51.100.7, 10.0.0.1" } }).then((r) => (r.body?.cancel(), r.status))), 200);
  assert.equal((await fetch(`${base}/up/`).then((r) => (r.body?.cancel(), r.status))), 200); // via the dead upstream first, then this server
  const t1 = Date.now() + 1000;
  const env = envAt(Date.now());
  const inWindow = (r: LogRecord) => assert.ok(r.time >= t0 && r.time <= t1, `time ${new Date(r.time).toISOString()} of ${r.raw}`);

  const combined = (await linesOf(log("combined"), 6)).map((l) => ok(parseNginx(line(l), env), l));
  const main = (await linesOf(log("main"), 6)).map((l) => ok(parseNginx(line(l), env), l));
  const timedParser = nginxFormatParser(compileNginxFormat(TIMED)._unsafeUnwrap());
  const timed = (await linesOf(log("timed"), 6)).map((l) => ok(timedParser(line(l), env), l));
  for (const r of [...combined, ...main, ...timed]) inWindow(r);
  const byPath = (records: LogRecord[], path: string) => records.filter((r) => r.fields?.path === path);

  const [home] = byPath(combined, "/");
  assert.deepEqual([home!.level, home!.message, home!.fields], ["INFO", "GET / HTTP/1.1", { ip: "127.0.0.1", method: "GET", path: "/", protocol: "HTTP/1.1", status: 200, bytes: 6, user_agent: "logsim-test/1" }]);
  const [missingPage] = byPath(combined, "/missing.html");
  assert.deepEqual([missingPage!.level, missingPage!.fields?.status, missingPage!.fields?.referer], ["WARN", 404, "https://example.com/from"]);
  const quoted = byPath(main, '/q"uote\\d?x="y"')[0]!;
  assert.equal(quoted.message, 'GET /q"uote\\d?x="y" HTTP/1.1');
  assert.equal(quoted.fields?.user_agent, 'Mozilla "quoted" \\back é');
  assert.equal(byPath(main, "/").find((r) => r.fields?.x_forwarded_for)?.fields?.x_forwarded_for, "198.51.100.7, 10.0.0.1");

  const viaUpstream = byPath(timed, "/up/")[0]!;
  assert.equal(viaUpstream.level, "INFO");
  assert.deepEqual(viaUpstream.fields?.upstream_status, [502, 200]);
  const times = viaUpstream.fields?.upstream_response_time as number[];
  assert.ok(Array.isArray(times) && times.length === 2 && times.every((x) => typeof x === "number"), JSON.stringify(times));
  assert.equal(typeof viaUpstream.fields?.request_time, "number");
  assert.equal(viaUpstream.fields?.upstream_addr, `127.0.0.1:${deadPort}, 127.0.0.1:${port}`);
  const proxied = byPath(timed, "//")[0]!; // the request the upstream made to this server (proxy_pass http://pair/ + /up/ -> //)
  assert.equal(proxied.fields?.host, "pair");
  assert.equal(proxied.fields?.upstream_response_time, undefined, "'-' is absent, not a string");
  assert.ok(timed.every((r) => Math.abs(r.time - Number(r.raw!.split(" ")[2]) * 1000) < 1), "time is $msec");

  // The error log: every line reads with its own time and level; the pairs become fields.
  await linesOf(log("error"), 1);
  await server.stop();
  const errors = (await linesOf(log("error"), 3)).map((l) => ok(parseNginxError(line(l), env), l));
  for (const r of errors) assert.ok(r.time >= t0 - 60_000 && r.time <= t1, `time of ${r.raw}`);
  assert.ok(errors.some((r) => r.level === "INFO" && r.fields?.severity === "notice"), "notices read as INFO");
  const open = errors.find((r) => r.fields?.request === "GET /missing.html HTTP/1.1")!;
  assert.equal(open.level, "ERROR");
  assert.match(open.message, /^open\(\) ".*\/html\/missing.html" failed \(2: No such file or directory\)$/);
  assert.deepEqual({ ...open.fields, pid: 0, tid: 0, connection: 0 }, { severity: "error", pid: 0, tid: 0, connection: 0, client: "127.0.0.1", server: "test.local", request: "GET /missing.html HTTP/1.1", host: `127.0.0.1:${port}`, referer: "https://example.com/from" });
  const unescaped = errors.find((r) => String(r.fields?.request).startsWith("GET /q"))!;
  assert.equal(unescaped.fields?.request, 'GET /q"uote\\d?x="y" HTTP/1.1', "the error log's unescaped quotes stay in the request");
  assert.equal(unescaped.fields?.host, "test.local");
  const refused = errors.find((r) => r.message.startsWith("connect() failed (111: Connection refused) while connecting to upstream"))!;
  assert.deepEqual([refused.level, refused.fields?.upstream], ["ERROR", `http://127.0.0.1:${deadPort}//`]);
});
