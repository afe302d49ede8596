import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { APACHE_BIN, APACHE_MODULES, apacheEnv, freePort, linesOf, missing, startServer } from "../../tests/_web-servers.ts";
import { envAt, type ParseResult } from "./_common.ts";
import { UTC } from "./_time.ts";
import { apache, apacheFormatParser, compileApacheFormat, parseApache } from "./apache.ts";
import { parseApacheError } from "./apache-error.ts";

const line = (text: string): RawLine => ({ kind: "line", text });
const ok = (r: ParseResult, text = ""): LogRecord => {
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
const UTC_NOW = envAt(Date.parse("2026-03-07T12:00:00Z"), UTC);
const CUSTOM = '%h %a %t "%r" %>s %b %O %I %D %{ms}T %T "%{X-Forwarded-For}i" %{pid}P %{sec}t %v %p %m %U%q %H';

test("apache default: common, combined and vhost_combined", () => {
  const combined = '203.0.113.9 - bob [07/Mar/2026:09:00:01 -0100] "POST /pay HTTP/1.1" 500 - "-" "curl \\"x\\" \\\\y"';
  const r = ok(parseApache(line(combined), UTC_NOW));
  assert.deepEqual([r.time, r.level, r.message, r.origin?.parser], [Date.parse("2026-03-07T10:00:01Z"), "ERROR", "POST /pay HTTP/1.1", "apache"]);
  assert.deepEqual(r.fields, { ip: "203.0.113.9", user_id: "bob", method: "POST", path: "/pay", protocol: "HTTP/1.1", status: 500, user_agent: 'curl "x" \\y' });
  const vhost = ok(parseApache(line(`www.example.com:443 ${combined.replace(" 500 - ", " 301 20 ")}`), UTC_NOW));
  assert.deepEqual([vhost.level, vhost.fields?.vhost, vhost.fields?.port, vhost.fields?.bytes], ["INFO", "www.example.com", 443, 20]);
  const common = ok(parseApache(line('::1 - - [07/Mar/2026:09:00:01 +0000] "GET /x HTTP/1.0" 404 12'), UTC_NOW));
  assert.deepEqual([common.level, common.fields], ["WARN", { ip: "::1", method: "GET", path: "/x", protocol: "HTTP/1.0", status: 404, bytes: 12 }]);
  assert.match(parseApache(line(`${combined} "1.2.3.4"`), UTC_NOW)._unsafeUnwrapErr().reason, /unexpected text after the status and byte count/);
});

test("apache format: every directive kind, typed; nicknames; the LogFormat line pasted; refusals", () => {
  const parse = apacheFormatParser(compileApacheFormat(CUSTOM)._unsafeUnwrap());
  const text = '10.0.0.1 10.0.0.2 [07/Mar/2026:09:00:01 +0000] "GET /a?b=1 HTTP/1.1" 200 5 250 80 1234 1 0 "1.2.3.4, 10.0.0.1" 77 1772874001 www 8080 GET /a?b=1 HTTP/1.1';
  const r = ok(parse(line(text), UTC_NOW), text);
  assert.deepEqual([r.time, r.level, r.message], [1772874001000, "INFO", "GET /a?b=1 HTTP/1.1"]);
  assert.deepEqual(r.fields, {
    ip: "10.0.0.1", _ip: "10.0.0.2", method: "GET", path: "/a?b=1", protocol: "HTTP/1.1", status: 200, bytes: 5, bytes_sent: 250, bytes_received: 80,
    request_time_us: 1234, request_time_ms: 1, request_time: 0, x_forwarded_for: "1.2.3.4, 10.0.0.1", pid: 77, vhost: "www", port: 8080,
    _method: "GET", path_query: "/a?b=1", _protocol: "HTTP/1.1", // %U%q: adjacent, so read as one

  });
  const pasted = compileApacheFormat('LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined')._unsafeUnwrap();
  const combined = '1.2.3.4 - - [07/Mar/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 5 "https://r/" "ua"';
  assert.deepEqual(ok(apacheFormatParser(pasted)(line(combined), UTC_NOW)).fields, { ip: "1.2.3.4", method: "GET", path: "/", protocol: "HTTP/1.1", status: 200, bytes_sent: 5, referer: "https://r/", user_agent: "ua" });
  assert.deepEqual(ok(apacheFormatParser(compileApacheFormat("combined")._unsafeUnwrap())(line(combined), UTC_NOW)).fields, ok(parseApache(line(combined), UTC_NOW)).fields);
  const strf = apacheFormatParser(compileApacheFormat("[%{%Y-%m-%d %H:%M:%S}t] %>s 100%%")._unsafeUnwrap());
  assert.equal(ok(strf(line("[2026-03-07 09:00:01] 200 100%"), UTC_NOW)).time, Date.parse("2026-03-07T09:00:01Z"));
  for (const [format, reason] of [
    ["%Z", /unknown directive %Z at column 1/],
    ["%h %", /"%" at column 4 does not start a directive/],
    ["plain", /no variables/],
    [`%{${"x".repeat(200)}}i`, /does not start a directive/],
    ["%h ".repeat(1400), /at most 4096/],
  ] as const) {
    const compiled = compileApacheFormat(format);
    assert.ok(compiled.isErr(), format);
    assert.match(compiled.error, reason);
  }
  assert.equal(apache.definition.schema.safeParse({ format: "%Q" }).success, false);
  assert.ok(apache.definition.schema.safeParse({ format: "vhost_combined" }).success);
});

/** A request fetch cannot send: quotes and a backslash in the path. */
function rawRequest(port: number, request: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write(Buffer.from(request, "utf8")));
    socket.on("data", () => socket.end());
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
}

test("real Apache 2.4: common, combined, vhost_combined and a custom LogFormat, and its error log at debug", async (t) => {
  const why = missing("apache");
  if (why) return t.skip(why);
  const { dir, cleanup } = tempDir("logsim-apache-");
  t.after(cleanup);
  const port = await freePort();
  mkdirSync(join(dir, "html", "private"), { recursive: true });
  writeFileSync(join(dir, "html", "index.html"), "hello\n");
  writeFileSync(join(dir, "html", "private", "x"), "secret\n");
  const log = (name: string) => join(dir, `${name}.log`);
  const mod = (name: string) => `LoadModule ${name}_module ${join(APACHE_MODULES, `mod_${name}.so`)}`;
  writeFileSync(
    join(dir, "httpd.conf"),
    `${mod("mpm_event")}
${mod("authz_core")}
${mod("dir")}
Listen 127.0.0.1:${port}
ServerName test.local
PidFile ${dir}/httpd.pid
Mutex file:${dir} default
DefaultRuntimeDir ${dir}
DocumentRoot ${dir}/html
ErrorLog ${log("error")}
LogLevel info authz_core:debug
LogFormat "%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" vhost_combined
LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined
LogFormat "%h %l %u %t \\"%r\\" %>s %O" common
LogFormat "${CUSTOM.replaceAll('"', '\\"')}" custom
CustomLog ${log("vhost")} vhost_combined
CustomLog ${log("combined")} combined
CustomLog ${log("common")} common
CustomLog ${log("custom")} custom
<Directory ${dir}/html>
  Require all granted
</Directory>
<Directory ${dir}/html/private>
  Require all denied
</Directory>
`,
  );
  const server = await startServer(APACHE_BIN, ["-X", "-f", join(dir, "httpd.conf"), "-d", dir], port, apacheEnv());
  t.after(server.stop);
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const base = `http://127.0.0.1:${port}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers }).then((r) => (r.body?.cancel(), r.status));
  assert.equal(await get("/index.html", { "user-agent": "logsim-test/1", referer: "https://example.com/from" }), 200);
  assert.equal(await get("/missing.html"), 404);
  assert.equal(await get("/private/x"), 403);
  await rawRequest(port, `GET /q"uote\\d?x="y" HTTP/1.1\r\nHost: test.local\r\nUser-Agent: Mozilla "quoted" \\back é\r\nX-Forwarded-For: 198.51.100.7, 10.0.0.1\r\nConnection: close\r\n\r\n`);
  const t1 = Date.now() + 1000;
  const env = envAt(Date.now());
  const read = async (name: string, parse = parseApache) => (await linesOf(log(name), 4)).map((l) => ok(parse(line(l), env), l));
  const [vhost, combined, common] = [await read("vhost"), await read("combined"), await read("common")];
  const custom = await read("custom", apacheFormatParser(compileApacheFormat(CUSTOM)._unsafeUnwrap()));
  for (const r of [...vhost, ...combined, ...common, ...custom]) assert.ok(r.time >= t0 && r.time <= t1, `time of ${r.raw}`);

  const index = combined.find((r) => r.fields?.path === "/index.html")!;
  assert.equal(index.level, "INFO");
  assert.deepEqual({ ...index.fields, bytes: 0 }, { ip: "127.0.0.1", method: "GET", path: "/index.html", protocol: "HTTP/1.1", status: 200, bytes: 0, referer: "https://example.com/from", user_agent: "logsim-test/1" });
  assert.ok((index.fields?.bytes as number) > 6, "%O counts the headers too");
  assert.deepEqual(common.map((r) => [r.level, r.fields?.status]), [["INFO", 200], ["WARN", 404], ["WARN", 403], ["WARN", 404]]);
  const quoted = combined.find((r) => String(r.fields?.path).startsWith("/q"))!;
  assert.equal(quoted.message, 'GET /q"uote\\d?x="y" HTTP/1.1');
  assert.equal(quoted.fields?.user_agent, 'Mozilla "quoted" \\back é');
  assert.deepEqual(vhost.map((r) => [r.fields?.vhost, r.fields?.port]), Array(4).fill(["test.local", 80]), "%p is the canonical port of ServerName");
  const q = custom.find((r) => String(r.fields?.path_query).includes("?"))!;
  assert.deepEqual([q.fields?.x_forwarded_for, q.fields?.path_query, q.fields?.status], ["198.51.100.7, 10.0.0.1", '/q"uote\\d?x="y"', 404]);
  for (const r of custom) {
    assert.equal(typeof r.fields?.request_time_us, "number");
    assert.equal(typeof r.fields?.pid, "number");
    assert.equal(r.time % 1000, 0, "the time is %{sec}t");
  }

  await server.stop();
  const errors = (await linesOf(log("error"), 5)).map((l) => ok(parseApacheError(line(l), env), l));
  for (const r of errors) assert.ok(r.time >= t0 - 60_000 && r.time <= t1, `time of ${r.raw}`);
  const missingFile = errors.find((r) => r.fields?.error_code === "AH00128")!;
  assert.equal(missingFile.level, "INFO");
  assert.match(missingFile.message, /^File does not exist: .*\/html\/missing\.html$/);
  assert.deepEqual([missingFile.fields?.module, missingFile.fields?.severity, missingFile.fields?.client, typeof missingFile.fields?.port], ["core", "info", "127.0.0.1", "number"]);
  const denied = errors.find((r) => r.fields?.error_code === "AH01630")!;
  assert.deepEqual([denied.level, denied.fields?.module, denied.message], ["ERROR", "authz_core", `client denied by server configuration: ${dir}/html/private/x`]);
  const debug = errors.find((r) => r.level === "DEBUG")!;
  assert.deepEqual([debug.fields?.source_file, typeof debug.fields?.source_line, debug.fields?.error_code], ["mod_authz_core.c", "number", "AH01626"]);
  assert.ok(errors.every((r) => typeof r.fields?.pid === "number" && typeof r.fields?.tid === "number"));
});
