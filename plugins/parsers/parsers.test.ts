import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonLineFormatter, recordToJson } from "../../core/record-json.ts";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { apacheFormat, csvFormat, logfmtFormat, syslogFormat, textFormat } from "../../core/line-format.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { CsvParser, UNRECOGNIZED, createAutoParser, envAt, parseApache, parseAuto, parseJson, parseLogfmt, parsePlainText, parseSyslog, parseTime, secondCache, type ParseEnv } from "./mod.ts";
import { UTC } from "./_time.ts";

const NOW_MS = Date.parse("2026-11-23T12:00:00.000Z");
const NOW = envAt(NOW_MS, UTC);
const line = (text: string, offset = 100, file = "/logs/app.log"): RawLine => ({ kind: "line", text, origin: { file, offset } });

const sample: LogRecord = {
  time: Date.parse("2026-11-23T10:00:00.123Z"),
  level: "WARN",
  service: "payment-service",
  message: 'Payment "declined", retry=1',
  fields: { generator: "gen", seq: 42, user_id: "u-1042", session_token: "9f2c", request_id: "r-77", latency_ms: 85, event: "session.payment" },
};

/** The parts of a record that every format with full fidelity carries back. */
const essence = (r: LogRecord) => ({ time: r.time, level: r.level, service: r.service, message: r.message, fields: r.fields });

test("timestamps normalise to UTC milliseconds", () => {
  // First, before any canonical time was read (where this file loads the parsers, as under node --test).
  assert.equal(parseTime("-026-01-01T00:00:00.123Z"), undefined);
  assert.equal(parseTime("2026-11-23T10:00:00.123Z"), Date.parse("2026-11-23T10:00:00.123Z"));
  assert.equal(parseTime("2026-11-23 10:00:00,123", NOW_MS, UTC), Date.parse("2026-11-23T10:00:00.123Z"));
  assert.equal(parseTime("2026-11-23T12:00:00.123456+02:00"), Date.parse("2026-11-23T10:00:00.123Z"));
  assert.equal(parseTime("23/Nov/2026:10:00:00 -0100"), Date.parse("2026-11-23T11:00:00Z"));
  assert.equal(parseTime("Nov 23 10:00:00", NOW_MS, UTC), Date.parse("2026-11-23T10:00:00Z"));
  assert.equal(parseTime(1795428000), 1795428000000);
  assert.equal(parseTime("yesterday"), undefined);
});

test("canonical times read through the per-second cache equal Date.parse, and bad ones are still refused", () => {
  const times = ["2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.999Z", "2026-11-23T10:00:01.005Z", "2026-11-23T10:00:00.500Z", "1999-12-31T23:59:59.999Z", "2026-11-23T10:00:01.006Z"];
  const seconds = secondCache();
  const read = (t: string) => parseTime(t, undefined, undefined, seconds);
  for (const t of times) assert.equal(read(t), Date.parse(t), t);
  read("2026-02-28T10:00:00.000Z");
  assert.equal(read("2026-02-28T10:00:00.0x0Z"), undefined, "not digits after a cached second");
  assert.equal(read("2026-13-28T10:00:00.000Z"), undefined, "no such month");
  assert.equal(read("2026-02-28T10:00:00.001Z"), Date.parse("2026-02-28T10:00:00.001Z"));
  for (const t of times) assert.equal(parseTime(t), Date.parse(t), `${t} without a cache`);
});

test("the per-second time cache belongs to its parser instance: nothing is shared between envs", () => {
  const a = envAt(NOW_MS);
  const b = envAt(NOW_MS);
  assert.notEqual(a.seconds, b.seconds);
  const t = "2026-11-23T10:00:00.250Z";
  assert.equal(parseTime(t, a.now, a.zone, a.seconds), Date.parse(t));
  assert.equal(a.seconds!.second, "2026-11-23T10:00:00.");
  assert.notEqual(b.seconds!.second, a.seconds!.second, "b's cache untouched by a's reads");
  // A cache is really read from (so it must be the instance's own): spoil a's, and only a's reads change.
  a.seconds!.ms += 1000;
  assert.equal(parseTime(t, a.now, a.zone, a.seconds), Date.parse(t) + 1000);
  assert.equal(parseTime(t, b.now, b.zone, b.seconds), Date.parse(t));
  assert.equal(parseTime(t), Date.parse(t), "no cache: no module-level one either");
});

test("json, text, logfmt and syslog lines of the generator parse back to the same record", () => {
  const cases: Array<[string, (l: RawLine, env: ParseEnv) => ReturnType<typeof parseJson>]> = [
    [jsonLineFormatter()(sample), parseJson],
    [textFormat().format(sample), parsePlainText],
    [logfmtFormat().format(sample), parseLogfmt],
    [syslogFormat().format(sample), parseSyslog],
  ];
  for (const [text, parse] of cases) {
    const parsed = parse(line(text), NOW);
    assert.ok(parsed.isOk(), `${text}: ${parsed.isErr() ? parsed.error.reason : ""}`);
    assert.deepEqual(essence(parsed.value), essence(sample), text);
    assert.equal(parsed.value.origin?.offset, 100);
    const auto = parseAuto(line(text), NOW);
    assert.ok(auto.isOk(), `auto: ${text}`);
    assert.deepEqual(essence(auto.value), essence(sample), `auto: ${text}`);
  }
});

test("csv parses with the header of its file, also read from the file when starting mid-file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-csv-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const format = csvFormat();
  const row = format.format(sample);
  const file = join(dir, "a.csv");
  writeFileSync(file, `${format.header}\n${row}\n`);
  const fresh = new CsvParser(nodeFileSystem, {});
  const header = fresh.parse(line(format.header!, 0, file), NOW);
  assert.ok(header.isErr() && header.error.skip, "the header is skipped");
  const parsed = fresh.parse(line(row, 200, file), NOW)._unsafeUnwrap();
  assert.deepEqual(essence(parsed), essence(sample));
  const midFile = new CsvParser(nodeFileSystem, {}).parse(line(row, 200, file), NOW)._unsafeUnwrap();
  assert.deepEqual(essence(midFile), essence(sample));
  assert.match(fresh.parse(line('a,"unclosed', 300, file), NOW)._unsafeUnwrapErr().reason, /unterminated/);
  assert.match(fresh.parse(line("a,b", 300, file), NOW)._unsafeUnwrapErr().reason, /expected 16 CSV cells, got 2/);
});

test("apache combined", () => {
  const text = apacheFormat().format({ ...sample, fields: { ip: "203.0.113.9", user_id: "u-1", method: "POST", path: "/api/v1/payments", status: 503, bytes: 512, user_agent: 'curl "x"' } });
  const r = parseApache(line(text), NOW)._unsafeUnwrap();
  assert.equal(r.level, "ERROR");
  assert.equal(r.time, Date.parse("2026-11-23T10:00:00Z"));
  assert.equal(r.message, "POST /api/v1/payments HTTP/1.1");
  assert.deepEqual(r.fields, { ip: "203.0.113.9", user_id: "u-1", method: "POST", path: "/api/v1/payments", protocol: "HTTP/1.1", status: 503, bytes: 512, user_agent: 'curl "x"' });
  assert.equal(parseAuto(line(text), NOW)._unsafeUnwrap().origin?.parser, "apache");
});

test("syslog RFC 3164 and the heartbeat's Python-style lines", () => {
  const bsd = parseSyslog(line("<34>Nov  3 22:14:15 mymachine su[42]: 'su root' failed for lonvick"), NOW)._unsafeUnwrap();
  assert.deepEqual([bsd.level, bsd.service, bsd.message, bsd.fields], ["FATAL", "su", "'su root' failed for lonvick", { host: "mymachine", pid: 42, facility: "auth", severity: "crit" }]);
  const py = parsePlainText(line("[2026-11-23 10:00:00,123] WARNING: disk almost full"), NOW)._unsafeUnwrap();
  assert.deepEqual([py.time, py.level, py.message], [Date.parse("2026-11-23T10:00:00.123Z"), "WARN", "disk almost full"]);
});

test("malformed lines fail with a stable reason", () => {
  const reasons = (texts: string[], parse = parseAuto) => texts.map((t) => parse(line(t), NOW)).map((r) => (r.isErr() ? r.error.reason : "ok"));
  assert.deepEqual(reasons(['{"level":"info","msg":"cut', "[1,2]", '{"msg":"bad \uFFFD byte"}'], parseJson), ["invalid JSON", "not a JSON object: does not start with {", "invalid UTF-8"]);
  // A line led by a time and a level is a record even when the rest is not logsim's text format (timestamped).
  assert.deepEqual(reasons(["just some words", '2026-11-23T10:00:00Z INFO [x] msg="cut', '{"level":"info","msg":"cut']), [UNRECOGNIZED, "ok", "json: invalid JSON"]);
  assert.equal(parsePlainText(line('2026-11-23T10:00:00Z INFO [x] msg="cut'), NOW)._unsafeUnwrapErr().reason, "unterminated quoted value");
});

test("auto settles each file on its format, and a file's own format gives the reason a line failed", () => {
  const auto = createAutoParser();
  const at = (text: string, file: string) => auto(line(text, 0, file), NOW);
  // One key=value in a plain line is not logfmt...
  assert.ok(at("retry=3", "/a.log").isErr());
  // ...but a file that is logfmt reads such a line as logfmt.
  assert.equal(at("level=info msg=started", "/b.log")._unsafeUnwrap().origin?.parser, "logfmt");
  assert.deepEqual(at("retry=3", "/b.log")._unsafeUnwrap().fields, { retry: 3 });
  assert.ok(at("retry=3", "/a.log").isErr(), "the other file did not settle on logfmt");
  // A syslog file: its failing line is reported in syslog's words.
  assert.equal(at("<34>1 2026-11-23T10:00:00Z host app - - - hi", "/c.log")._unsafeUnwrap().origin?.parser, "syslog");
  assert.equal(at("<34>1 yesterday host app - - - hi", "/c.log")._unsafeUnwrapErr().reason, 'syslog: invalid RFC 5424 timestamp "yesterday"');
  // ...but a line that starts like JSON is reported in the JSON parser's words.
  assert.equal(at('{"msg":"cut', "/c.log")._unsafeUnwrapErr().reason, "json: invalid JSON");
  // A file switches when its lines change format.
  assert.equal(at('{"msg":"json now"}', "/c.log")._unsafeUnwrap().origin?.parser, "json");
});

test("no silent loss: unknown levels, fields named like the record's keys, times that are not times", () => {
  const loud = parseJson(line('{"level":"loud","msg":"m"}'), NOW)._unsafeUnwrap();
  assert.deepEqual([loud.level, loud.message, loud.fields], ["INFO", "m", { _level: "loud" }]);
  const theirs = parseJson(line('{"msg":"m","origin":"eu-west","_origin":"x","tags":{"a":1}}'), NOW)._unsafeUnwrap();
  assert.deepEqual(theirs.fields, { _origin: "eu-west", __origin: "x", _tags: { a: 1 } });
  const out = JSON.parse(jsonLineFormatter()(theirs));
  assert.deepEqual([out._origin, out.__origin, out._tags, out.origin.parser], ["eu-west", "x", { a: 1 }, "json"]);
  const date = parseJson(line('{"date":"Tuesday","time":"2026-11-23T10:00:00Z","msg":"m"}'), NOW)._unsafeUnwrap();
  assert.deepEqual([date.time, date.fields], [Date.parse("2026-11-23T10:00:00Z"), { date: "Tuesday" }]);
  const noTime = parseJson(line('{"timestamp":"soon","msg":"m"}'), NOW)._unsafeUnwrap();
  assert.deepEqual([noTime.time, noTime.fields], [NOW_MS, { _timestamp: "soon" }]);
  for (const name of ["http", "verbose", "silly", "emerg", "alert", "notice", "crit", "trace", "fatal", "panic", "severe", "fine"]) {
    assert.notEqual(parseJson(line(`{"level":"${name}","msg":"m"}`), NOW)._unsafeUnwrap().fields?._level, name, name);
  }
  // A transform may set a field named like a record key: the JSON line renames it, never drops it.
  const set: LogRecord = { time: NOW_MS, level: "INFO", message: "m", fields: { level: "custom", _level: 1 } };
  assert.deepEqual(recordToJson(set), { timestamp: "2026-11-23T12:00:00.000Z", level: "INFO", message: "m", __level: "custom", _level: 1 });
});

test("the collected entry: fields, seq, tags, origin with file, byte offset and parser", () => {
  const r = parseJson({ kind: "line", text: jsonLineFormatter()(sample), origin: { file: "/logs/app.log", offset: 4096 }, truncated: true }, NOW)._unsafeUnwrap();
  assert.deepEqual(recordToJson(r), {
    timestamp: "2026-11-23T10:00:00.123Z", level: "WARN", service: "payment-service", message: 'Payment "declined", retry=1',
    generator: "gen", seq: 42, user_id: "u-1042", session_token: "9f2c", request_id: "r-77", latency_ms: 85, event: "session.payment",
    tags: ["_truncated"], origin: { file: "/logs/app.log", offset: 4096, parser: "json" },
  });
});

test("pino and bunyan lines (numeric levels, epoch-ms time) parse, as json and auto", () => {
  for (const [n, level] of [[10, "DEBUG"], [20, "DEBUG"], [30, "INFO"], [40, "WARN"], [50, "ERROR"], [60, "FATAL"]] as const) {
    const text = `{"level":${n},"time":1700000000000,"pid":1,"hostname":"h","msg":"hello"}`;
    for (const parse of [parseJson, parseAuto]) {
      const r = parse(line(text), NOW)._unsafeUnwrap();
      assert.deepEqual([r.level, r.time, r.message], [level, 1_700_000_000_000, "hello"]);
    }
  }
  assert.deepEqual(parseJson(line('{"level":99,"msg":"x"}'), NOW)._unsafeUnwrap().fields, { _level: 99 }, "an unknown number is kept as a field");
});

test('a "__proto__" key in a log line stays a field through parsing and JSON output', () => {
  const r = parseJson(line('{"message":"m","__proto__":{"admin":true},"x":1}'), NOW)._unsafeUnwrap();
  assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
  assert.deepEqual(JSON.parse(jsonLineFormatter()(r)).__proto__, { admin: true });
  assert.deepEqual(Object.getOwnPropertyDescriptor(recordToJson(r), "__proto__")?.value, { admin: true });
  assert.equal(({} as { admin?: boolean }).admin, undefined, "no prototype was polluted");
});

test("JSON lines start with timestamp, level, service and message whatever the field names", () => {
  const fmt = jsonLineFormatter();
  const r = parseJson(line('{"timestamp":"2026-11-23T10:00:00.000Z","level":"WARN","service":"s","message":"m","b":1,"200":"ok","a":{"404":1}}'), NOW)._unsafeUnwrap();
  const out = fmt(r);
  assert.ok(out.startsWith('{"timestamp":"2026-11-23T10:00:00.000Z","level":"WARN","service":"s","message":"m",'), out);
  assert.deepEqual(JSON.parse(out), recordToJson(r));
  const clash = parseJson(line('{"message":"m","__proto__":{"x":1},"7":true,"origin":"theirs"}'), NOW)._unsafeUnwrap();
  const clashOut = fmt(clash);
  assert.ok(clashOut.startsWith('{"timestamp":'), clashOut);
  assert.deepEqual(JSON.parse(clashOut), JSON.parse(JSON.stringify(recordToJson(clash))));
});

test("keys named like Object.prototype's (__proto__, constructor) stay fields in key=value formats", () => {
  const text = parsePlainText(line("2026-11-23T10:00:00Z INFO [svc] hello __proto__=x constructor=5 toString=y"), NOW)._unsafeUnwrap();
  const logfmt = parseLogfmt(line("msg=hello __proto__=x constructor=5 toString=y"), NOW)._unsafeUnwrap();
  for (const r of [text, logfmt]) {
    assert.deepEqual(Object.entries(r.fields ?? {}), [["__proto__", "x"], ["constructor", 5], ["toString", "y"]]);
    assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
  }
});

test("year-less times take the year of the file's modification time when the source knows it, else of now", () => {
  const text = "Dec 31 23:59:59 host app[1]: last line of the year";
  const now = Date.parse("2027-01-05T10:00:00Z");
  const env = envAt(now, UTC);
  assert.equal(parseSyslog(line(text), env)._unsafeUnwrap().time, Date.parse("2026-12-31T23:59:59Z"), "read in January: last year");
  const old: RawLine = { ...line(text), fileTime: Date.parse("2019-01-02T00:00:00Z") };
  assert.equal(parseSyslog(old, { ...env, fileTime: old.fileTime! })._unsafeUnwrap().time, Date.parse("2018-12-31T23:59:59Z"), "an archive written in January 2019");
  const june: RawLine = { ...line("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown"), fileTime: Date.parse("2005-07-01T00:00:00Z") };
  assert.equal(parseAuto(june, { ...env, fileTime: june.fileTime! })._unsafeUnwrap().time, Date.parse("2005-06-14T15:16:01Z"));
});

test("a numeric time beyond what a Date can hold is no time: the record gets the read time and keeps the value as a field (found by fuzzing)", () => {
  assert.equal(parseTime(-5.1515396911868485e306), undefined);
  assert.equal(parseTime(1e308), undefined);
  assert.equal(parseTime(1_764_000_000), 1_764_000_000_000);
  const r = parseJson(line('{"time":-1.7976931348623157e+308,"msg":"far past"}'), NOW)._unsafeUnwrap() as LogRecord;
  assert.equal(r.time, NOW_MS);
  assert.equal(r.fields?.time, -1.7976931348623157e308);
  assert.match(jsonLineFormatter()(r), /"timestamp":"2026-11-23T12:00:00.000Z"/);
});
