/**
 * The syslog parser against the RFCs' examples, Vector's parse_syslog and parse_linux_authorization
 * cases, loghub's Linux, Mac, OpenSSH and Thunderbird samples, and bad input.
 * Lines written by real programs (logger, rsyslog) are in syslog-programs.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../tests/_helpers.ts";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { syslogFormat } from "../../core/line-format.ts";
import { envAt, parseSyslog } from "./mod.ts";
import { fixedZone, UTC } from "./_time.ts";

const CONFORMANCE = join(ROOT, "..", "shared", "conformance");
const NOW = envAt(Date.parse("2026-11-23T12:00:00.000Z"), UTC);
const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/var/log/syslog", offset: 0 } });
const parse = (text: string, env = NOW): LogRecord => {
  const r = parseSyslog(line(text), env);
  assert.ok(r.isOk(), `${text.slice(0, 200)}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
const reason = (text: string) => {
  const r = parseSyslog(line(text), NOW);
  return r.isErr() ? r.error.reason : "ok";
};
const view = (r: LogRecord) => ({ time: new Date(r.time).toISOString(), level: r.level, service: r.service, message: r.message, fields: r.fields });

test("RFC 5424's examples (section 6.5)", () => {
  // Example 1: no structured data, a BOM before the message, MSGID ID47.
  assert.deepEqual(view(parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8")), {
    time: "2003-10-11T22:14:15.003Z", level: "FATAL", service: "su", message: "'su root' failed for lonvick on /dev/pts/8",
    fields: { host: "mymachine.example.com", event: "ID47", facility: "auth", severity: "crit" },
  });
  // Example 2: microseconds and an offset, NILVALUE app and msgid, no BOM.
  assert.deepEqual(view(parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.")), {
    time: "2003-08-24T12:14:15.000Z", level: "INFO", service: "myproc", message: "%% It's time to make the do-nuts.",
    fields: { host: "192.0.2.1", pid: 8710, facility: "local4", severity: "notice" },
  });
  // Example 3: structured data and a message.
  assert.deepEqual(view(parse('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...')), {
    time: "2003-10-11T22:14:15.003Z", level: "INFO", service: "evntslog", message: "An application event log entry...",
    fields: { host: "mymachine.example.com", event: "ID47", facility: "local4", severity: "notice", "exampleSDID@32473": { iut: 3, eventSource: "Application", eventID: 1011 } },
  });
  // Example 4: two SD elements and no message.
  const four = parse('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]');
  assert.deepEqual([four.message, four.fields?.["examplePriority@32473"]], ["", { class: "high" }]);
});

test("structured data: repeated parameters and repeated SD-IDs keep every value, in order; escapes; NILVALUEs", () => {
  const r = parse('<13>1 2026-03-07T09:00:01Z h app 1 - [origin ip="10.0.0.1" ip="10.0.0.2" ip="10.0.0.3" software="x"][meta sequenceId="1"][x@1 a="1"][x@1 a="2" b="q\\"\\]\\\\\\n"] m');
  assert.deepEqual(r.fields, {
    host: "h", pid: 1, facility: "user", severity: "notice",
    _origin: { ip: ["10.0.0.1", "10.0.0.2", "10.0.0.3"], software: "x" }, // named like the record's origin: renamed, see fieldName
    meta: { sequenceId: 1 },
    "x@1": [{ a: 1 }, { a: 2, b: 'q"]\\\\n' }], // \n is only read as a newline in logsim's own element
  });
  const nil = parse("<13>1 - - - - - -");
  assert.deepEqual([nil.time, nil.service, nil.message, nil.fields], [NOW.now, undefined, "", { facility: "user", severity: "notice" }]);
  const proto = parse('<13>1 - - - - - [__proto__ __proto__="x"] m');
  assert.equal(Object.getPrototypeOf(proto.fields), Object.prototype);
  const inner = Object.getOwnPropertyDescriptor(proto.fields, "__proto__")?.value as object;
  assert.equal(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value, "x", "an SD-ID and a parameter named __proto__ stay fields");
  // Not well formed: the text stays in the message rather than the line being lost.
  assert.equal(parse('<13>1 - h a - - [x@1 a="unterminated] m').message, '[x@1 a="unterminated] m');
  // logsim's own element is the record's fields, flattened, with \n and \r read back.
  const own = parse('<134>1 2026-11-23T10:00:00.123Z - svc - - [logsim@32473 a="1" note="two\\nlines" a="2" tags="x,y"] m');
  assert.deepEqual([own.fields, own.tags], [{ a: [1, 2], note: "two\nlines" }, ["x", "y"]]);
});

test("logsim's own syslog lines round-trip: quotes, backslashes, brackets and line breaks in fields, and tags", () => {
  const record: LogRecord = {
    time: Date.parse("2026-11-23T10:00:00.123Z"), level: "ERROR", service: "payment-service", message: "declined\nretry",
    fields: { note: 'say "hi", a=b c]d\\e', multi: "line\nbreak\r", seq: 7, ok: true, event: "session.payment", host: "web-1" }, tags: ["auth", "api"],
  };
  const r = parse(syslogFormat().format(record));
  assert.deepEqual([r.time, r.level, r.service, r.fields, r.tags], [record.time, record.level, record.service, record.fields, record.tags]);
  assert.equal(r.message, "declined#012retry", "the writer escapes the message's line breaks; the message is not unescaped (RFC 5424 MSG has no escapes)");
});

test("RFC 3164's examples and the shapes rsyslog, logger and macOS write", () => {
  const cases: Array<[string, ReturnType<typeof view>]> = [
    ["<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      { time: "2026-10-11T22:14:15.000Z", level: "FATAL", service: "su", message: "'su root' failed for lonvick on /dev/pts/8", fields: { host: "mymachine", facility: "auth", severity: "crit" } }],
    ["<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!",
      { time: "2026-02-05T17:32:18.000Z", level: "INFO", service: "Use", message: "the BFG!", fields: { host: "10.0.0.99", facility: "user", severity: "notice" } }],
    // logger to a local socket: no hostname.
    ["<13>Nov 29 13:57:46 app[10906]: hi",
      { time: "2025-11-29T13:57:46.000Z", level: "INFO", service: "app", message: "hi", fields: { pid: 10906, facility: "user", severity: "notice" } }],
    ["<11>Nov 22 13:57:46 root: hello prio",
      { time: "2026-11-22T13:57:46.000Z", level: "ERROR", service: "root", message: "hello prio", fields: { facility: "user", severity: "err" } }],
    // rsyslog's default file format and its traditional one; a TAG without colon (rsyslog's file of RFC 5424 input).
    ["2026-03-07T09:00:01.123456+00:00 web01 sshd[812]: Accepted publickey for eng",
      { time: "2026-03-07T09:00:01.123Z", level: "INFO", service: "sshd", message: "Accepted publickey for eng", fields: { host: "web01", pid: 812 } }],
    ["<38>2026-03-07T10:00:01+01:00 web01 sshd[812]: forwarded",
      { time: "2026-03-07T09:00:01.000Z", level: "INFO", service: "sshd", message: "forwarded", fields: { host: "web01", pid: 812, facility: "auth", severity: "info" } }],
    ["Mar  7 09:00:01 vm myapp hello 5424", { time: "2026-03-07T09:00:01.000Z", level: "INFO", service: "myapp", message: "hello 5424", fields: { host: "vm" } }],
    ["Jun 19 04:09:11 combo syslogd 1.4.1: restart.", { time: "2026-06-19T04:09:11.000Z", level: "INFO", service: "syslogd", message: "1.4.1: restart.", fields: { host: "combo" } }],
    ["Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
      { time: "2026-06-14T15:16:01.000Z", level: "INFO", service: "sshd(pam_unix)", message: "check pass; user unknown", fields: { host: "combo", pid: 19939 } }],
    ["<10>Jul  1 09:01:05 calvisitor-10-105-160-95 com.apple.CDScheduler[43]: Thermal pressure state: 1",
      { time: "2026-07-01T09:01:05.000Z", level: "FATAL", service: "com.apple.CDScheduler", message: "Thermal pressure state: 1", fields: { host: "calvisitor-10-105-160-95", pid: 43, facility: "user", severity: "crit" } }],
    ["Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback",
      { time: "2026-07-01T09:00:55.000Z", level: "INFO", service: "kernel", message: "IOThunderboltSwitch<0>(0x0)::listenerCallback", fields: { host: "calvisitor-10-105-160-95", pid: 0 } }],
    ["Jul  1 09:29:02 mac sandboxd[129] ([31211]): deny network-outbound",
      { time: "2026-07-01T09:29:02.000Z", level: "INFO", service: "sandboxd", message: "([31211]): deny network-outbound", fields: { host: "mac", pid: 129 } }],
    // No TAG at all: the text after the hostname is the message.
    ["Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2", { time: "2026-07-07T08:06:15.000Z", level: "INFO", service: undefined, message: "-- root[2421]: ROOT LOGIN ON tty2", fields: { host: "combo" } }],
    // Octet counting (logger --octet-count), fractions, a year after the day, a TAG and no message.
    ["28 <13>Nov 22 13:57:46 root: hi", { time: "2026-11-22T13:57:46.000Z", level: "INFO", service: "root", message: "hi", fields: { facility: "user", severity: "notice" } }],
    ["<15>Nov 22 13:57:46.250 h app: x", { time: "2026-11-22T13:57:46.250Z", level: "DEBUG", service: "app", message: "x", fields: { host: "h", facility: "user", severity: "debug" } }],
    ["<12>Mar  1 2021 13:57:46 h app: x", { time: "2021-03-01T13:57:46.000Z", level: "WARN", service: "app", message: "x", fields: { host: "h", facility: "user", severity: "warning" } }],
    ["<0>Nov 22 13:57:46 h kernel:", { time: "2026-11-22T13:57:46.000Z", level: "FATAL", service: "kernel", message: "", fields: { host: "h", facility: "kern", severity: "emerg" } }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(view(parse(text)), expected, text);
});

test("year-less times: the zone is the parser's timezone option, the year inferred from now", () => {
  const paris = parse("Jan  2 00:30:00 h app: m", envAt(Date.parse("2026-01-05T00:00:00Z"), fixedZone(60)));
  assert.equal(new Date(paris.time).toISOString(), "2026-01-01T23:30:00.000Z");
  const december = parse("Dec 31 23:59:59 h app: m", envAt(Date.parse("2027-01-01T00:10:00Z"), UTC));
  assert.equal(new Date(december.time).toISOString(), "2026-12-31T23:59:59.000Z", "a December line read in January is last year's");
});

test("plain-text lines with an ISO time are not taken for rsyslog's file format", () => {
  assert.match(reason('2026-11-23T10:00:00Z INFO [x] msg="cut'), /plain-text/);
  assert.match(reason("2026-11-23T10:00:00.123Z WARN [payment-service] user=u-1042"), /plain-text/);
  assert.match(reason("2026-11-23T10:00:00Z [main] started"), /plain-text/);
  assert.equal(reason("2026-11-23T10:00:00Z info: started"), reason("2026-11-23T10:00:00Z INFO started"));
});

test("bad input fails with a reason, never throws; a 10 MB line is read in linear time", () => {
  assert.equal(reason("\u0000\u0001\u0002\u00ff garbage \u0007"), "not syslog: no PRI or timestamp at the start");
  assert.equal(reason("<13>Nov 22 13:57:46 h app: bad \uFFFD byte"), "invalid UTF-8");
  assert.equal(reason("<999>1 - - - - - - m"), "not syslog: PRI 999 is over 191");
  assert.equal(reason("<1a>Nov 22 13:57:46 h a: m"), "not syslog: invalid PRI");
  assert.equal(reason("<13>Foo 22 13:57:46 h a: m"), "not syslog: no timestamp after the PRI");
  assert.equal(reason("<13>Feb 31 13:57:46 h a: m"), 'invalid timestamp "Feb 31 13:57:46"');
  assert.equal(reason("<13>1 2026-13-01T00:00:00Z h a - - - m"), 'invalid RFC 5424 timestamp "2026-13-01T00:00:00Z"');
  assert.equal(reason(""), "not syslog: no PRI or timestamp at the start");
  const big = "x".repeat(10 * 1024 * 1024);
  const started = Date.now();
  assert.equal(reason(big), "not syslog: no PRI or timestamp at the start");
  assert.equal(reason(`<13>1 ${big}`), "not syslog: no timestamp after the PRI");
  assert.equal(parse(`<13>Nov 22 13:57:46 h app: ${big}`).message.length, big.length);
  assert.equal(parse(`<13>1 - h a - - [x@1 k="${"\\\\".repeat(2_000_000)}${big}"] m`).fields?.["x@1"] !== undefined, true);
  assert.equal(parse(`<13>1 - h a - - [x@1 k="${big}`).message, `[x@1 k="${big}`);
  assert.ok(Date.now() - started < 20_000, "linear, not quadratic");
});

/** Vector's output keys and ours: the record's own, or a field of another name. */
const VECTOR_NAMES: Record<string, string> = { appname: "service", message: "message", timestamp: "time", hostname: "host", procid: "pid", msgid: "event" };

/** A Vector parse result as logsim's record: renamed keys, SD parameter values typed, `version` (always 1) left out. */
function fromVector(v: Record<string, unknown>, year: number) {
  const out: { time?: number; service?: string; message?: string; fields: Record<string, unknown> } = { fields: {} };
  for (const [key, value] of Object.entries(v)) {
    const name = VECTOR_NAMES[key] ?? key;
    if (key === "version") continue;
    if (name === "time") out.time = Date.parse(String(value).replace("YYYY", String(year)));
    else if (name === "service" || name === "message") out[name] = String(value);
    else if (typeof value === "object" && value !== null) {
      out.fields[name] = Object.fromEntries(Object.entries(value).map(([k, x]) => [k, typeof x === "string" && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(x) ? Number(x) : x]));
    } else out.fields[name] = value;
  }
  return out;
}

test("Vector's parse_syslog and parse_linux_authorization cases give the same record (names and typed values as documented)", (t) => {
  const file = join(CONFORMANCE, "vector", "vrl-examples.json");
  if (!existsSync(file)) return t.skip(`${file} is absent`);
  const { examples } = JSON.parse(readFileSync(file, "utf8")) as { examples: Array<{ function: string; title: string; input: string; vector: Record<string, unknown> }> };
  const cases = examples.filter((e) => e.function === "parse_syslog" || e.function === "parse_linux_authorization");
  assert.ok(cases.length >= 10, `${cases.length} cases`);
  for (const c of cases) {
    const r = parse(c.input);
    const expected = fromVector(c.vector, 2026);
    assert.deepEqual({ time: r.time, service: r.service, message: r.message, fields: r.fields ?? {} }, expected, c.title);
    const severity = c.vector.severity as string | undefined;
    const level = severity === undefined ? "INFO" : { emerg: "FATAL", alert: "FATAL", crit: "FATAL", err: "ERROR", warning: "WARN", notice: "INFO", info: "INFO", debug: "DEBUG" }[severity];
    assert.equal(r.level, level, c.title);
  }
});

const MONTH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** The BSD timestamp a UTC time is written as (`Jun  4 15:16:01` and `Jun 14 15:16:01`). */
const bsd = (ms: number, pad = " ") => {
  const d = new Date(ms);
  const hms = d.toISOString().slice(11, 19);
  return `${MONTH[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, pad)} ${hms}`;
};

/** Reads a loghub sample: every line must parse with its own time; returns the share with a service. */
function readSample(t: { skip(reason: string): void; diagnostic(message: string): void }, name: string, prefix = /^/, zone = UTC): LogRecord[] | undefined {
  const file = join(CONFORMANCE, "loghub", name);
  if (!existsSync(file)) {
    t.skip(`${file} is absent`);
    return undefined;
  }
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l !== "") // loghub's files end lines with CRLF;
  const records = lines.map((text) => parse(text.replace(prefix, ""), envAt(Date.parse("2026-12-31T00:00:00Z"), zone)));
  const served = records.filter((r) => r.service !== undefined).length;
  t.diagnostic(`${name}: ${records.length}/${lines.length} lines (100%) read with their own time; ${served} (${((100 * served) / lines.length).toFixed(2)}%) with a service`);
  return records;
}

test("loghub Linux, Mac and OpenSSH: every line read with its own timestamp, host, service and message", (t) => {
  for (const name of ["Linux_2k.log", "Mac_2k.log", "OpenSSH_2k.log"]) {
    const records = readSample(t, name);
    if (!records) return;
    assert.equal(records.length, 2000, name);
    for (const r of records) {
      assert.ok(r.raw!.startsWith(bsd(r.time)) || r.raw!.startsWith(bsd(r.time, "0")), `${name}: ${r.raw} -> ${new Date(r.time).toISOString()}`);
      assert.equal(typeof r.fields?.host, "string", r.raw);
      assert.ok(r.raw!.endsWith(r.message), r.raw);
      if (r.service !== undefined) assert.ok(r.raw!.includes(` ${r.service}`), r.raw);
    }
    const served = records.filter((r) => r.service !== undefined).length / records.length;
    assert.ok(served >= 0.99, `${name}: ${served}`);
  }
  const sshd = parse("Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!", envAt(Date.parse("2026-12-31T00:00:00Z"), UTC));
  assert.deepEqual(view(sshd), {
    time: "2026-12-10T06:55:46.000Z", level: "INFO", service: "sshd",
    message: "reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!", fields: { host: "LabSZ", pid: 24200 },
  });
});

test("loghub Thunderbird: the syslog part of every line, at the time its epoch column says (local time UTC-8)", (t) => {
  const file = join(CONFORMANCE, "loghub", "Thunderbird_2k.log");
  if (!existsSync(file)) return t.skip(`${file} is absent`);
  const lines = readFileSync(file, "utf8").split(/\r?\n/).filter((l) => l !== "") // loghub's files end lines with CRLF;
  let same = 0;
  for (const text of lines) {
    const m = /^(\S+) (\d+) \d{4}\.\d\d\.\d\d (\S+) (.*)$/.exec(text)!;
    const epoch = Number(m[2]) * 1000;
    const r = parse(m[4]!, envAt(epoch, fixedZone(-8 * 60)));
    if (r.time === epoch) same++;
  }
  t.diagnostic(`Thunderbird_2k.log: ${lines.length}/${lines.length} syslog parts read; ${same} (${((100 * same) / lines.length).toFixed(1)}%) at exactly their epoch column's time`);
  assert.ok(same / lines.length >= 0.99, `${same}`);
});
