import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../tests/_helpers.ts";
import { envAt } from "./_common.ts";
import { resolveZone, UTC } from "./_time.ts";
import { coverage, huge, line, loghub, run, runScript } from "../../tests/_parser-programs.ts";
import { parseOslo, parsePython, python, templateParser } from "./python.ts";

const NOW = envAt(Date.parse("2026-12-01T00:00:00Z"), UTC);

// What Python's logging module writes: basicConfig's default, the cookbook's format and one with process,
// thread, module and line, in New York time; Python reports each record's created time and fields on stderr.
const PYTHON_SCRIPT = `
import json, logging, sys, threading
seen = []
class Keep(logging.Filter):
    def filter(self, r):
        seen.append({"ms": int(r.created) * 1000 + int(r.msecs), "created": r.created, "level": r.levelname, "name": r.name,
                     "message": r.getMessage(), "process": r.process, "thread": r.threadName, "module": r.module, "lineno": r.lineno})
        return True
logging.basicConfig(stream=sys.stdout, level=logging.DEBUG)
logging.getLogger().handlers[0].addFilter(Keep())
def handler(fmt, name):
    h = logging.StreamHandler(sys.stdout); h.setFormatter(logging.Formatter(fmt)); h.addFilter(Keep())
    log = logging.getLogger(name); log.addHandler(h); log.propagate = False; log.setLevel(logging.DEBUG)
    return log
cookbook = handler("%(asctime)s - %(name)s - %(levelname)s - %(message)s", "simple_example")
detailed = handler("%(asctime)s %(process)d %(threadName)s %(module)s %(lineno)d %(levelname)-8s %(name)s: %(message)s", "app.db")
for log in (logging.getLogger(), logging.getLogger("payments.api"), cookbook, detailed):
    log.debug("debug message")
    log.info("user %s logged in - ok: %d", "alice", 3)
    log.warning("disk at %d%%", 91)
    log.error("failed: [db] timeout")
    log.critical("shutting down")
t = threading.Thread(target=lambda: detailed.info("from a worker"), name="worker 1")
t.start(); t.join()
print(json.dumps(seen), file=sys.stderr)
`;
const DETAILED = "%(asctime)s %(process)d %(threadName)s %(module)s %(lineno)d %(levelname)-8s %(name)s: %(message)s";
const LEVEL: Record<string, string> = { DEBUG: "DEBUG", INFO: "INFO", WARNING: "WARN", ERROR: "ERROR", CRITICAL: "FATAL" };

test("python reads what Python's logging writes (basicConfig, cookbook, a detailed format) in Python's local time", (t) => {
  const out = run("python3", ["-c", PYTHON_SCRIPT], { TZ: "America/New_York" });
  if (!out) return t.skip("python3 is not installed");
  const lines = out.stdout.trimEnd().split("\n");
  const seen = JSON.parse(out.stderr) as Array<Record<string, string | number>>;
  assert.equal(lines.length, seen.length);
  assert.equal(lines.length, 21);
  const env = envAt(Date.now(), resolveZone("America/New_York")._unsafeUnwrap());
  const detailed = templateParser(DETAILED)._unsafeUnwrap();
  lines.forEach((text, i) => {
    const py = seen[i]!;
    const isDetailed = i >= 15;
    const r = (isDetailed ? detailed : parsePython)(line(text), env);
    assert.ok(r.isOk(), `${text}: ${r.isErr() && r.error.reason}`);
    const record = r.value;
    assert.equal(record.level, LEVEL[py.level!], text);
    assert.equal(record.service, py.name, text);
    assert.equal(record.message, py.message, text);
    if (i < 10) assert.equal(record.time, env.now, "basicConfig writes no time: the time read is now");
    else {
      assert.equal(record.time, py.ms, `${text}: Python's created ${py.created}`);
      assert.ok(Math.abs(record.time - Number(py.created) * 1000) < 1);
    }
    if (isDetailed) assert.deepEqual(record.fields, { pid: py.process, thread: py.thread, module: py.module, line: py.lineno });
    else assert.equal(record.fields, undefined);
  });
});

// The logging HOWTO's datefmt example, and an ISO datefmt with %z followed by the milliseconds.
const DATEFMT_SCRIPT = `
import json, logging, sys
seen = []
class Keep(logging.Filter):
    def filter(self, r):
        seen.append({"s": int(r.created), "ms": int(r.created) * 1000 + int(r.msecs), "message": r.getMessage()}); return True
def handler(fmt, datefmt, name):
    h = logging.StreamHandler(sys.stdout); h.setFormatter(logging.Formatter(fmt, datefmt)); h.addFilter(Keep())
    log = logging.getLogger(name); log.addHandler(h); log.propagate = False; log.setLevel(logging.DEBUG)
    return log
handler("%(asctime)s %(message)s", "%m/%d/%Y %I:%M:%S %p", "howto").warning("is when this event was logged.")
handler("%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z", "iso").info("with an offset")
print(json.dumps(seen), file=sys.stderr)
`;

test("python reads asctime written with a datefmt (the logging HOWTO's, and one with %z)", (t) => {
  const out = run("python3", ["-c", DATEFMT_SCRIPT], { TZ: "Asia/Kolkata" });
  if (!out) return t.skip("python3 is not installed");
  const [howto, iso] = out.stdout.trimEnd().split("\n") as [string, string];
  const seen = JSON.parse(out.stderr) as Array<{ s: number; ms: number; message: string }>;
  const env = envAt(Date.now(), resolveZone("Asia/Kolkata")._unsafeUnwrap());
  const a = templateParser("%(asctime)s %(message)s", "python", false, "%m/%d/%Y %I:%M:%S %p")._unsafeUnwrap()(line(howto), env)._unsafeUnwrap();
  assert.deepEqual([a.time, a.message], [seen[0]!.s * 1000, "is when this event was logged."], howto);
  // Read in UTC: the offset Python wrote wins over the parser's zone.
  const b = templateParser("%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s", "python", false, "%Y-%m-%dT%H:%M:%S%z")._unsafeUnwrap()(line(iso), NOW)._unsafeUnwrap();
  assert.deepEqual([b.time, b.level, b.service, b.message], [seen[1]!.ms, "INFO", "iso", "with an offset"], iso);
  assert.match(python.definition.schema.safeParse({ datefmt: "%Q" }).error?.message ?? "", /%Q is not a directive/);
  const clock = templateParser("%(asctime)s %(message)s", "python", false, "%H:%M:%S")._unsafeUnwrap()(line("09:30:00 x"), NOW)._unsafeUnwrap();
  assert.equal(clock.time, Date.UTC(2026, 10, 30, 9, 30), "a time of day alone: the latest such time up to now");
});

test("python reads back what logsim's templates write, to the millisecond, under TZ=America/New_York and TZ=Asia/Kolkata", () => {
  for (const tz of ["America/New_York", "Asia/Kolkata"]) {
    const result = JSON.parse(runScript(join(ROOT, "tests/_python-roundtrip.fixture.ts"), { TZ: tz })) as { tz: string; checked: number; failures: number; mismatches: unknown[] };
    assert.equal(result.tz, tz);
    assert.ok(result.checked > 5000, `${result.checked} lines checked`);
    assert.deepEqual(result.mismatches, [], `${result.failures} lines did not come back the same under ${tz}`);
  }
});

test("a format's directives become the record's time, level, service, message and typed fields", () => {
  const parse = (template: string, text: string) => templateParser(template)._unsafeUnwrap()(line(text), NOW)._unsafeUnwrap();
  let r = parse("%(created)f %(levelno)s %(name)s %(funcName)s:%(lineno)d %(pathname)s: %(message)s", "1795428000.123456 25 app.x main:42 /srv/my app.py: hello world");
  assert.equal(r.time, 1795428000123);
  assert.equal(r.level, "INFO");
  assert.equal(r.service, "app.x");
  assert.deepEqual(r.fields, { func: "main", line: 42, path: "/srv/my app.py", levelno: 25 }, "a custom level's number is kept");
  assert.equal(r.message, "hello world");
  r = parse("%(asctime)s.%(msecs)03d %(levelname)8s %(user_id)s %(message)s", "2026-03-07 09:00:01.042     NOTE u-1 x");
  assert.equal(r.time, Date.UTC(2026, 2, 7, 9, 0, 1, 42));
  assert.equal(r.level, "INFO");
  assert.deepEqual(r.fields, { user_id: "u-1" });
  r = parse("%(levelname)s %(message)s", "Level 5 custom");
  assert.deepEqual([r.level, r.message, r.fields], ["INFO", "custom", { levelname: "Level 5" }], "an unknown level name stays a field");
  r = parse("%(asctime)s|%(levelname)-7s|%(message)s|%(fields)s|%(tags)s|%%", '2026-03-07 09:00:01,5|ERROR  |a | b|seq=3 note="x y"|t1,t2|%');
  assert.deepEqual([r.time, r.level, r.message, r.fields, r.tags], [Date.UTC(2026, 2, 7, 9, 0, 1, 500), "ERROR", "a | b", { seq: 3, note: "x y" }, ["t1", "t2"]]);
  assert.ok(templateParser("%(levelname)s %(message)s")._unsafeUnwrap()(line("2026-01-01 x"), NOW).isErr());
});

test("directives after the message: the message is what lies between, however long", () => {
  const parse = (template: string, text: string) => templateParser(template)._unsafeUnwrap()(line(text), NOW)._unsafeUnwrap();
  let r = parse("%(levelname)s %(message)s [%(name)s]", "ERROR failed: [db] timeout [app.db]");
  assert.deepEqual([r.message, r.service], ["failed: [db] timeout", "app.db"]);
  r = parse("%(levelname)s %(message)s (%(filename)s:%(lineno)d)", "INFO took (2 s) ok (views.py:42)");
  assert.deepEqual([r.message, r.fields], ["took (2 s) ok", { file: "views.py", line: 42 }]);
  r = parse("%(levelname)s %(message)s %(fields)s", 'WARN Payment "declined" now a=1 b="x y" c=3');
  assert.deepEqual([r.message, r.fields], ['Payment "declined" now', { a: 1, b: "x y", c: 3 }], "the message ends where the key=value pairs begin");
  const big = "m ".repeat(5 * 1024 * 1024);
  r = parse("%(levelname)s %(message)s [%(name)s]", `INFO ${big}[svc]`);
  assert.deepEqual([r.message.length, r.service], [big.length - 1, "svc"], "the space before [ is the template's");
});

test("templates with many free-text values fail in bounded time on lines made to make them backtrack", () => {
  const started = Date.now();
  const many = templateParser("%(asctime)s %(a)s %(b)s %(c)s %(d)s %(e)s %(levelname)s %(message)s")._unsafeUnwrap();
  assert.ok(many(line(`2026-01-01 00:00:00,000${" x".repeat(200_000)} lowercase`), NOW).isErr());
  const tail = templateParser("%(levelname)s %(message)s [%(a)s] [%(b)s] %(fields)s")._unsafeUnwrap();
  assert.ok(tail(line(`INFO ${" [x]".repeat(2_000_000)}`), NOW).isErr());
  assert.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
});

test("the python plugin checks its format option and reads its defaults without one", () => {
  assert.ok(python.definition.schema.safeParse({ format: "%(asctime" }).error?.message.includes("invalid template"));
  assert.ok(python.definition.schema.safeParse({ format: "no directives" }).error);
  assert.ok(python.definition.schema.safeParse({ format: ["%(levelname)s %(message)s", "%(message)s"], timezone: "Asia/Kolkata" }).success);
  const ctx = { clock: { now: () => NOW.now } } as never;
  const plugin = python.definition.create(python.definition.schema.parse({ format: ["%(levelname)s %(message)s", "%(message)s"], timezone: "UTC" }), ctx) as { parse: (l: ReturnType<typeof line>) => ReturnType<typeof parsePython> };
  assert.equal(plugin.parse(line("WARNING low"))._unsafeUnwrap().level, "WARN");
  assert.equal(plugin.parse(line("anything at all"))._unsafeUnwrap().message, "anything at all", "the second format");
  const r = parsePython(line("[2026-11-25 10:00:00,123] WARNING: disk low"), NOW)._unsafeUnwrap();
  assert.deepEqual([r.time, r.level, r.message, r.origin?.parser], [Date.UTC(2026, 10, 25, 10, 0, 0, 123), "WARN", "disk low", "python"]);
  assert.ok(parsePython(line("Note:foo:bar"), NOW).isErr(), "basicConfig's shape with no level name is not taken");
});

test("oslo.log (OpenStack) lines: pid, logger, request context and instance", () => {
  const r = parseOslo(line("2017-05-16 00:00:10.302 2931 INFO nova.virt.libvirt.driver [req-1 u1 p1 - - -] [instance: b9000564] Instance spawned successfully."), NOW)._unsafeUnwrap();
  assert.deepEqual([r.time, r.level, r.service, r.message], [Date.UTC(2017, 4, 16, 0, 0, 10, 302), "INFO", "nova.virt.libvirt.driver", "Instance spawned successfully."]);
  assert.deepEqual(r.fields, { pid: 2931, request_id: "req-1", user: "u1", project: "p1", instance: "b9000564" });
});

test("loghub OpenStack_2k: every line with its own time and level", (t) => {
  const lines = loghub("OpenStack");
  if (!lines) return t.skip("no loghub samples in ../shared/conformance");
  const c = coverage(lines, parsePython, NOW);
  t.diagnostic(`OpenStack_2k: ${c.parsed}/${c.total} parsed`);
  assert.deepEqual(c.failed, []);
  const levels = new Set(lines.map((l) => parsePython(line(l), NOW)._unsafeUnwrap().level));
  assert.deepEqual([...levels].sort(), ["INFO", "WARN"]);
});

test("a traceback's lines are not records (the tail's multiline mode joins them to theirs)", () => {
  for (const text of ["Traceback (most recent call last):", '  File "/srv/app.py", line 3, in <module>', "    main()", "ValueError: invalid literal for int() with base 10: 'x'", "KeyError: 'user'"]) {
    assert.ok(parsePython(line(text), NOW).isErr(), text);
  }
});

test("bad input fails cleanly: garbage, invalid UTF-8, a 10 MB line", () => {
  for (const text of ["", "garbage", "\uFFFD[2026-11-25 10:00:00,123] INFO: x", "[2026-13-45 10:00:00,123] INFO: x", huge("INFO"), huge("2026-11-25 10:00:00,123 - a - ")]) {
    const r = parsePython(line(text), NOW);
    assert.ok(r.isErr(), text.slice(0, 40));
  }
  const big = parsePython(line(huge("[2026-11-25 10:00:00,123] INFO: ")), NOW);
  assert.equal(big._unsafeUnwrap().message.length, 10 * 1024 * 1024);
  const detailed = templateParser(DETAILED)._unsafeUnwrap();
  assert.ok(detailed(line(huge("2026-11-25 10:00:00,123 1 ", 1024 * 1024).replace(/x/g, "x ")), NOW).isErr());
});
