/**
 * JSON dialects, read from lines the real libraries write where they run here (pino, bunyan,
 * winston in every format and level set, Python's logging with python-json-logger and a stdlib
 * JSON formatter, structlog), and from the published examples of the others (quoted with their source).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
// @ts-ignore -- bunyan ships no types (and @types/bunyan is not installed); the test uses the few calls typed below
import bunyanModule from "bunyan";
import pino from "pino";
import winston from "winston";
import type { Level, LogRecord, RawLine } from "../../core/types.ts";
import { ROOT } from "../../tests/_helpers.ts";
import { envAt, parseJson, parsePlainText, parseWinstonText, renderTemplate, type LineParser } from "./mod.ts";
import { UTC } from "./_time.ts";

type BunyanLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";
const bunyan = bunyanModule as { createLogger(o: { name: string; streams: Array<{ level: string; stream: Writable }> }): Record<BunyanLevel, (...args: unknown[]) => void> };

const NOW_MS = Date.parse("2026-11-23T12:00:00.000Z");
const NOW = envAt(NOW_MS, UTC);
const T = "2026-11-23T10:00:00.123Z";
const T_MS = Date.parse(T);
const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/logs/app.log", offset: 0 } });
const parse = (text: string, parser: LineParser = parseJson): LogRecord => {
  const r = parser(line(text), NOW);
  assert.ok(r.isOk(), `${text}: ${r.isErr() ? r.error.reason : ""}`);
  return r.value;
};
const essence = (r: LogRecord) => ({ time: r.time, level: r.level, service: r.service, message: r.message, fields: r.fields });

/** A stream that keeps what is written to it, one entry per write. */
const collector = () => {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, stream };
};

test("pino: numeric levels, epoch-ms time, name as service, err with its stack, child bindings, nested objects", () => {
  const { lines, stream } = collector();
  const log = pino({ level: "trace", name: "checkout", timestamp: () => `,"time":${T_MS}` }, stream);
  const levels: Array<[keyof pino.Logger & ("trace" | "debug" | "info" | "warn" | "error" | "fatal"), Level]> = [
    ["trace", "DEBUG"], ["debug", "DEBUG"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["fatal", "FATAL"],
  ];
  for (const [method] of levels) log[method]({ order: { id: 7, items: [1, 2] } }, `${method} message`);
  log.child({ module: "db" }).error(new Error("connection lost"), "query failed");
  assert.equal(lines.length, 7);
  levels.forEach(([method, level], i) => {
    const r = parse(lines[i]!);
    assert.deepEqual([r.time, r.level, r.service, r.message], [T_MS, level, "checkout", `${method} message`], lines[i]);
    assert.deepEqual(r.fields?.order, { id: 7, items: [1, 2] });
    assert.deepEqual(Object.keys(r.fields ?? {}).sort(), ["hostname", "order", "pid"]);
  });
  const failed = parse(lines[6]!);
  const err = failed.fields?.err as { type: string; message: string; stack: string };
  assert.deepEqual([failed.level, failed.message, failed.fields?.module, err.type, err.message], ["ERROR", "query failed", "db", "Error", "connection lost"]);
  assert.match(err.stack, /^Error: connection lost\n\s+at /);
});

test("bunyan: name as service, hostname, pid and v kept, err objects with stack, ISO time", () => {
  const { lines, stream } = collector();
  const log = bunyan.createLogger({ name: "billing", streams: [{ level: "trace", stream }] });
  const levels: Array<["trace" | "debug" | "info" | "warn" | "error" | "fatal", Level]> = [
    ["trace", "DEBUG"], ["debug", "DEBUG"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["fatal", "FATAL"],
  ];
  for (const [method] of levels) log[method]({ invoice: { id: "i-1" } }, "%s happened", method);
  log.error(new Error("card declined"), "charge failed");
  assert.equal(lines.length, 7);
  levels.forEach(([method, level], i) => {
    const r = parse(lines[i]!);
    const own = JSON.parse(lines[i]!) as { time: string; hostname: string; pid: number };
    assert.deepEqual(essence(r), { time: Date.parse(own.time), level, service: "billing", message: `${method} happened`, fields: { hostname: own.hostname, pid: own.pid, invoice: { id: "i-1" }, v: 0 } });
  });
  const err = parse(lines[6]!).fields?.err as { message: string; name: string; stack: string };
  assert.deepEqual([err.name, err.message], ["Error", "card declined"]);
  assert.match(err.stack, /^Error: card declined\n\s+at /);
});

const NPM: Array<[string, Level]> = [["error", "ERROR"], ["warn", "WARN"], ["info", "INFO"], ["http", "INFO"], ["verbose", "DEBUG"], ["debug", "DEBUG"], ["silly", "DEBUG"]];
const SYSLOG: Array<[string, Level]> = [["emerg", "FATAL"], ["alert", "FATAL"], ["crit", "FATAL"], ["error", "ERROR"], ["warning", "WARN"], ["notice", "INFO"], ["info", "INFO"], ["debug", "DEBUG"]];

/** What winston writes for each level of `levels` with `format`: one line per level, in order. */
async function winstonLines(format: winston.Logform.Format, levels: Array<[string, Level]>, set: "npm" | "syslog"): Promise<string[]> {
  const { lines, stream } = collector();
  let arrived: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (arrived = resolve));
  const counting = new Writable({ write: (chunk, enc, done) => stream.write(chunk, enc, () => (lines.length === levels.length && arrived(), done())) });
  const logger = winston.createLogger({
    levels: winston.config[set].levels, level: set === "npm" ? "silly" : "debug", format,
    defaultMeta: { service: "user-service" }, transports: [new winston.transports.Stream({ stream: counting })],
  });
  for (const [name] of levels) logger.log(name, `${name} message`, { user: { id: 42 } });
  await all; // Transports write asynchronously; every line was asked for, so each arrives.
  logger.close();
  return lines.map((l) => l.replace(/\n$/, ""));
}

const fmt = winston.format;
const fixedTime = () => fmt.timestamp({ format: () => T });

test("winston, every format it offers, every level of the npm and syslog sets", async () => {
  const formats: Array<{ name: string; format: winston.Logform.Format; parser: LineParser; time: boolean; meta: boolean }> = [
    { name: "json", format: fmt.combine(fixedTime(), fmt.json()), parser: parseJson, time: true, meta: true },
    { name: "json without timestamp", format: fmt.json(), parser: parseJson, time: false, meta: true },
    { name: "logstash", format: fmt.combine(fixedTime(), fmt.logstash()), parser: parseJson, time: true, meta: true },
    { name: "colorized json", format: fmt.combine(fmt.colorize(), fixedTime(), fmt.json()), parser: parseJson, time: true, meta: true },
    { name: "simple", format: fmt.simple(), parser: parseWinstonText, time: false, meta: true },
    { name: "simple with timestamp", format: fmt.combine(fixedTime(), fmt.simple()), parser: parseWinstonText, time: true, meta: true },
    { name: "colorized simple", format: fmt.combine(fmt.colorize({ all: false }), fixedTime(), fmt.simple()), parser: parseWinstonText, time: true, meta: true },
    { name: "cli", format: fmt.cli(), parser: parseWinstonText, time: false, meta: false },
    { name: "printf, time first", format: fmt.combine(fixedTime(), fmt.printf((i) => `${i.timestamp} ${i.level}: ${i.message}`)), parser: parsePlainText, time: true, meta: false },
    { name: "printf, level first", format: fmt.printf((i) => `${i.level}: ${i.message}`), parser: parseWinstonText, time: false, meta: false },
  ];
  for (const [set, levels] of [["npm", NPM], ["syslog", SYSLOG]] as const) {
    for (const f of formats) {
      const lines = await winstonLines(f.format, levels, set);
      levels.forEach(([name, level], i) => {
        const what = `${f.name}, ${set} ${name}: ${lines[i]}`;
        const r = parse(lines[i]!, f.parser);
        assert.equal(r.level, level, what);
        assert.equal(r.time, f.time ? T_MS : NOW_MS, what);
        if (f.name === "cli") assert.ok(r.message.endsWith(`${name} message`), what); // cli() pads with "undefined" for levels outside its own set
        else assert.equal(r.message, `${name} message`, what);
        if (f.meta) assert.deepEqual([r.service, r.fields], ["user-service", { user: { id: 42 } }], what);
        else assert.equal(r.fields?.user, undefined, what);
      });
    }
  }
});

test("winston: errors({ stack: true }) keeps the stack as a field", async () => {
  const { lines, stream } = collector();
  let arrived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (arrived = resolve));
  const logger = winston.createLogger({
    format: fmt.combine(fmt.errors({ stack: true }), fixedTime(), fmt.json()),
    transports: [new winston.transports.Stream({ stream: new Writable({ write: (c, e, cb) => stream.write(c, e, () => (arrived(), cb())) }) })],
  });
  logger.error(new Error("disk full"));
  await done;
  logger.close();
  const r = parse(lines[0]!);
  assert.deepEqual([r.time, r.level, r.message], [T_MS, "ERROR", "disk full"]);
  assert.match(String(r.fields?.stack), /^Error: disk full\n\s+at /);
});

test("winston-text: braces in the message, a message without meta, and lines that are not winston's", () => {
  const r = parse('info: set {a} to {"b":1} {"service":"s","timestamp":"2026-11-23T10:00:00.123Z"}', parseWinstonText);
  assert.deepEqual(essence(r), { time: T_MS, level: "INFO", service: "s", message: 'set {a} to {"b":1}', fields: undefined });
  assert.deepEqual(essence(parse("warn: plain", parseWinstonText)), { time: NOW_MS, level: "WARN", service: undefined, message: "plain", fields: undefined });
  const reason = (t: string) => parseWinstonText(line(t), NOW)._unsafeUnwrapErr().reason;
  assert.equal(reason("Error: not winston"), "not winston's level: message");
  assert.equal(reason("note: a word with a colon"), "not winston's level: message");
});

/** Python's logging and structlog, run for real; undefined (and the test skipped) when python3 or the libraries are not here. */
function pythonLines(): string[] | undefined {
  const deb = join(ROOT, ".tools/deb/python3-logging/usr/lib/python3/dist-packages");
  const script = `
import json, logging, sys
from pythonjsonlogger import jsonlogger
import structlog
def handler(formatter):
    h = logging.StreamHandler(sys.stdout); h.setFormatter(formatter); return h
pj = logging.getLogger("orders"); pj.setLevel(logging.DEBUG); pj.propagate = False
pj.addHandler(handler(jsonlogger.JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")))
for name in ["debug", "info", "warning", "error", "critical"]:
    getattr(pj, name)("%s message", name, extra={"order": {"id": 7}})
class JsonFormatter(logging.Formatter):
    def format(self, record):
        out = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info: out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out)
std = logging.getLogger("payments"); std.setLevel(logging.DEBUG); std.propagate = False
std.addHandler(handler(JsonFormatter()))
try:
    1 / 0
except ZeroDivisionError:
    std.exception("charge failed")
root = logging.getLogger("shop"); root.setLevel(logging.DEBUG); root.propagate = False
root.addHandler(handler(logging.Formatter("%(message)s")))
structlog.configure(
    processors=[structlog.stdlib.add_logger_name, structlog.stdlib.add_log_level, structlog.processors.TimeStamper(fmt="iso", utc=True), structlog.processors.JSONRenderer()],
    logger_factory=structlog.stdlib.LoggerFactory(), wrapper_class=structlog.stdlib.BoundLogger)
structlog.get_logger("shop").warning("cart abandoned", cart={"items": 3})
`;
  try {
    const out = execFileSync("python3", ["-c", script], { env: { PATH: "/usr/bin:/bin", TZ: "UTC", PYTHONPATH: existsSync(deb) ? deb : "" }, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.trim().split("\n");
  } catch {
    return undefined;
  }
}

test("Python: python-json-logger, a stdlib JSON formatter, structlog", (t) => {
  const lines = pythonLines();
  if (!lines) return t.skip("python3 with python-json-logger and structlog is not available");
  const before = Date.now();
  const within = (ms: number) => assert.ok(Math.abs(ms - before) < 600_000, `time ${new Date(ms).toISOString()} is now`);
  const levels: Level[] = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
  levels.forEach((level, i) => {
    const r = parse(lines[i]!);
    within(r.time);
    assert.deepEqual([r.level, r.message, r.fields], [level, `${["debug", "info", "warning", "error", "critical"][i]} message`, { name: "orders", order: { id: 7 } }], lines[i]);
  });
  const std = parse(lines[5]!);
  within(std.time);
  assert.deepEqual([std.level, std.message, std.fields?.logger], ["ERROR", "charge failed", "payments"]);
  assert.match(String(std.fields?.exc_info), /ZeroDivisionError/);
  const s = parse(lines[6]!);
  within(s.time);
  assert.deepEqual([s.level, s.message, s.fields], ["WARN", "cart abandoned", { logger: "shop", cart: { items: 3 } }], lines[6]);
});

test("CLEF (Serilog compact): @t, @mt rendered, @m, @l absent is Information, @x, @i, @r, @@ escapes", () => {
  // The examples of serilog/serilog-formatting-compact's README, and clef-json.org's.
  const hello = parse('{"@t":"2016-06-07T03:44:57.8532799Z","@mt":"Hello, {User}","User":"nblumhardt"}');
  assert.deepEqual(essence(hello), { time: Date.parse("2016-06-07T03:44:57.853Z"), level: "INFO", service: undefined, message: 'Hello, "nblumhardt"', fields: { User: "nblumhardt", message_template: "Hello, {User}" } });
  assert.equal(parse('{"@t":"2016-10-12T04:46:58.0554314Z","@mt":"Hello, {@User}","User":{"Name":"nblumhardt","Id":101}}').message, 'Hello, { Name: "nblumhardt", Id: 101 }');
  assert.equal(parse('{"@t":"2016-10-12T04:46:58.0684369Z","@mt":"Number {N:x8}","@r":["0000002a"],"N":42}').message, "Number 0000002a");
  const tags = parse('{"@t":"2016-10-12T04:46:58.0724384Z","@mt":"Tags are {Tags}","@l":"Warning","Tags":["test","orange"]}');
  assert.deepEqual([tags.level, tags.message], ["WARN", 'Tags are ["test", "orange"]']);
  const failed = parse('{"@t":"2016-10-12T04:46:58.0904378Z","@mt":"Something failed","@l":"Error", "@x":"System.DivideByZer...<snip>"}');
  assert.deepEqual([failed.level, failed.message, failed.fields], ["ERROR", "Something failed", { message_template: "Something failed", exception: "System.DivideByZer...<snip>" }]);
  // RenderedCompactJsonFormatter: @m and @i instead of @mt.
  const rendered = parse('{"@t":"2026-11-23T10:00:00.123Z","@m":"Started in 12 ms","@i":"a1b2c3d4","@l":"Debug","Elapsed":12,"@@odd":1,"Application":"api"}');
  assert.deepEqual(essence(rendered), { time: T_MS, level: "DEBUG", service: "api", message: "Started in 12 ms", fields: { Elapsed: 12, "@odd": 1, event_id: "a1b2c3d4" } });
  for (const l of ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"]) assert.notEqual(parse(`{"@t":"${T}","@m":"m","@l":"${l}"}`).fields?._level, l, l);
  assert.equal(renderTemplate("{{literal}} {A,5}|{A,-5}|{A:l} {Missing} {0}", { A: "x", 0: 1 }), '{literal}   "x"|"x"  |x {Missing} 1');
});

test("logstash: v0 events (@message, @fields, @source, @tags) and v1 (logstash-logback-encoder)", () => {
  // logstash's v0 event schema (the old json_event format); @fields is where the event's own fields go.
  const v0 = parse('{"@source":"file://host/var/log/app.log","@tags":["prod"],"@fields":{"level":"warn","service":"cart","user":"u1"},"@timestamp":"2026-11-23T10:00:00.123Z","@source_host":"host","@message":"slow checkout","@type":"app"}');
  assert.deepEqual(essence(v0), { time: T_MS, level: "WARN", service: "cart", message: "slow checkout", fields: { user: "u1", source: "file://host/var/log/app.log", source_host: "host", type: "app" } });
  assert.deepEqual(v0.tags, ["prod"]);
  // logstash-logback-encoder's README: @timestamp, @version, message, logger_name, thread_name, level, level_value.
  const v1 = parse('{"@timestamp":"2019-11-03T10:15:30.123+01:00","@version":"1","message":"My message","logger_name":"com.example.Foo","thread_name":"main","level":"INFO","level_value":20000}');
  assert.deepEqual(essence(v1), { time: Date.parse("2019-11-03T09:15:30.123Z"), level: "INFO", service: undefined, message: "My message", fields: { "@version": "1", logger_name: "com.example.Foo", thread_name: "main", level_value: 20000 } });
});

test("ECS: dotted keys and nested log/service objects both", () => {
  // The example of elastic/ecs-logging's spec (ecs-logging docs, "Log event example").
  const dotted = parse('{"@timestamp":"2019-08-06T12:09:12.375Z", "log.level": "INFO", "message":"Tomcat started on port(s): 8080 (http) with context path \'\'", "service.name":"spring-petclinic","process.thread.name":"restartedMain","log.logger":"org.springframework.boot.web.embedded.tomcat.TomcatWebServer"}');
  assert.deepEqual(essence(dotted), {
    time: Date.parse("2019-08-06T12:09:12.375Z"), level: "INFO", service: "spring-petclinic", message: "Tomcat started on port(s): 8080 (http) with context path ''",
    fields: { "process.thread.name": "restartedMain", "log.logger": "org.springframework.boot.web.embedded.tomcat.TomcatWebServer" },
  });
  // ecs-logging-nodejs (pino/winston formatters) nest `log` and `ecs`; some nest `service`.
  const nested = parse('{"@timestamp":"2026-11-23T10:00:00.123Z","log":{"level":"error","logger":"app"},"message":"boom","ecs":{"version":"8.10.0"},"service":{"name":"api","version":"1.2.0"},"error":{"type":"Error","message":"boom","stack_trace":"Error: boom\\n    at x"}}');
  assert.deepEqual(essence(nested), {
    time: T_MS, level: "ERROR", service: "api", message: "boom",
    fields: { log: { logger: "app" }, ecs: { version: "8.10.0" }, "service.version": "1.2.0", error: { type: "Error", message: "boom", stack_trace: "Error: boom\n    at x" } },
  });
});

test("zap production JSON: ts in epoch seconds (and ms/ns), level, logger, caller, stacktrace", () => {
  // zap's NewProductionEncoderConfig keys (go.uber.org/zap config.go): ts, level, logger, caller, msg, stacktrace; ts as float epoch seconds.
  const r = parse('{"level":"error","ts":1795428000.1234567,"logger":"payments","caller":"payments/charge.go:42","msg":"charge failed","attempt":3,"stacktrace":"main.charge\\n\\t/app/payments/charge.go:42"}');
  assert.deepEqual(essence(r), { time: 1795428000123.4568, level: "ERROR", service: undefined, message: "charge failed", fields: { logger: "payments", caller: "payments/charge.go:42", attempt: 3, stacktrace: "main.charge\n\t/app/payments/charge.go:42" } });
  for (const level of ["dpanic", "panic", "fatal"]) assert.equal(parse(`{"level":"${level}","ts":1795428000,"msg":"m"}`).level, level === "dpanic" ? "ERROR" : "FATAL");
  assert.equal(parse('{"level":"info","ts":1795428000123456789,"msg":"m"}').time, 1795428000123.4568, "EpochNanosTimeEncoder");
  assert.equal(parse('{"level":"info","ts":1795428000123456,"msg":"m"}').time, 1795428000123.456, "microseconds");
});

test("slog JSONHandler: time with nanoseconds and offset, INFO/WARN/ERROR/DEBUG and DEBUG+2-style offsets, source", () => {
  // log/slog's package doc: {"time":"2022-11-08T15:28:26.000000000-05:00","level":"INFO","msg":"hello","count":3}
  const r = parse('{"time":"2022-11-08T15:28:26.000000000-05:00","level":"INFO","msg":"hello","count":3}');
  assert.deepEqual(essence(r), { time: Date.parse("2022-11-08T20:28:26Z"), level: "INFO", service: undefined, message: "hello", fields: { count: 3 } });
  const levels: Array<[string, Level]> = [["DEBUG", "DEBUG"], ["DEBUG+2", "DEBUG"], ["INFO", "INFO"], ["INFO+2", "INFO"], ["WARN", "WARN"], ["WARN-1", "WARN"], ["ERROR", "ERROR"], ["ERROR+4", "ERROR"]];
  for (const [name, level] of levels) assert.equal(parse(`{"time":"2022-11-08T15:28:26Z","level":"${name}","msg":"m"}`).level, level, name);
  const src = parse('{"time":"2022-11-08T15:28:26Z","level":"WARN","source":{"function":"main.main","file":"/app/main.go","line":12},"msg":"m","req":{"method":"GET"}}');
  assert.deepEqual(src.fields, { source: { function: "main.main", file: "/app/main.go", line: 12 }, req: { method: "GET" } });
});

test("structlog's documented JSON, and an ordinary `event` field next to a message stays a field", () => {
  // structlog docs (JSONRenderer with add_log_level, TimeStamper(fmt="iso")): {"event": "hello", "level": "info", "timestamp": "..."}
  const r = parse('{"event": "hello", "level": "info", "timestamp": "2026-11-23T10:00:00.123456Z", "logger": "shop"}');
  assert.deepEqual(essence(r), { time: T_MS, level: "INFO", service: undefined, message: "hello", fields: { logger: "shop" } });
  assert.deepEqual(parse('{"message":"m","event":"session.payment"}').fields, { event: "session.payment" });
});
