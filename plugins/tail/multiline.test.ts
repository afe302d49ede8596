import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { inspect } from "node:util";
import { z } from "zod";
import { compileMultiline, LineJoiner, multilineOption, type JoinedLine, type JoinStats, type MultilineSettings } from "./multiline.ts";

const encoder = new TextEncoder();
const settings = (s: Partial<MultilineSettings> & Pick<MultilineSettings, "modes">): MultilineSettings => ({ timeout: 1000, maxLines: 500, maxBytes: 1 << 20, ...s });

/** Feeds the lines of `text` (split on \n, byte offsets as a file has them) and flushes at the end. */
function joinLines(text: string, s: Partial<MultilineSettings> & Pick<MultilineSettings, "modes">, stats: JoinStats = { joinedEvents: 0, joinedLines: 0, cutEvents: 0 }): JoinedLine[] {
  const joiner = new LineJoiner(compileMultiline(settings(s)), stats);
  const out: JoinedLine[] = [];
  let offset = 0;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const end = offset + encoder.encode(line).length + 1;
    joiner.push({ text: line, offset, end, truncated: false, partial: false }, 0, out);
    offset = end;
  }
  joiner.flush(out);
  assert.equal(joiner.held, undefined);
  return out;
}
const texts = (text: string, s: Partial<MultilineSettings> & Pick<MultilineSettings, "modes">) => joinLines(text, s).map((e) => e.text);

const python = spawnSync("python3", ["--version"]).status === 0;

test("python: real tracebacks from logger.exception, chained and grouped, one event per log record", { skip: !python && "python3 is not installed" }, () => {
  const script = `
import json, logging, sys
records = []
class Keep(logging.Handler):
    def emit(self, record): records.append(self.format(record))
log = logging.getLogger("app")
log.setLevel(logging.INFO)
for handler in (logging.StreamHandler(sys.stderr), Keep()):
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log.addHandler(handler)
def parse(s): return int(s)
log.info("starting")
try: 1 / 0
except Exception: log.exception("simple")
try:
    try: parse("x")
    except ValueError: {}["missing"]
except KeyError: log.exception("during handling")
try:
    try: parse("y")
    except ValueError as e: raise RuntimeError("wrapped") from e
except RuntimeError: log.exception("direct cause")
log.warning("between")
if sys.version_info >= (3, 11):
    try: raise ExceptionGroup("group", [ValueError(1), TypeError(2)])
    except Exception: log.exception("group")
log.info("done")
print(json.dumps(records))
`;
  const run = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const records = JSON.parse(run.stdout) as string[];
  assert.ok(records.some((r) => r.includes("During handling of the above exception")) && records.some((r) => r.includes("direct cause of the following")));
  const events = joinLines(run.stderr, { modes: ["python"] });
  assert.deepEqual(events.map((e) => e.text), records);
  assert.ok(events.filter((e) => e.lines > 5).length >= 3);
});

test("node: a real Error stack, and util.inspect of an error with a cause, each one event", () => {
  const make = () => new Error("outer", { cause: new TypeError("inner") });
  const error = make();
  const records = ["info: starting", error.stack!, "info: between", inspect(error), "warn: done"];
  assert.match(inspect(error), /\[cause\]: TypeError: inner/);
  assert.deepEqual(texts(`${records.join("\n")}\n`, { modes: ["node"] }), records);
});

const JAVA = [
  "2026-11-29 13:00:00.000 INFO  [main] c.e.App - starting",
  // logback: the message, then the exception (Throwable.printStackTrace), with a cause and common frames omitted
  [
    "2026-11-29 13:00:01.000 ERROR [main] c.e.App - request failed",
    "java.lang.IllegalStateException: boom",
    "\tat com.example.App.handle(App.java:42)",
    "\tat com.example.App.main(App.java:12)",
    "Caused by: java.io.IOException: disk full",
    "\tat com.example.Store.write(Store.java:88)",
    "\tat com.example.App.handle(App.java:40)",
    "\t... 1 common frames omitted",
  ].join("\n"),
  // The Throwable javadoc's example (Junk.java)
  [
    "HighLevelException: MidLevelException: LowLevelException",
    "\tat Junk.a(Junk.java:13)",
    "\tat Junk.main(Junk.java:4)",
    "Caused by: MidLevelException: LowLevelException",
    "\tat Junk.c(Junk.java:23)",
    "\tat Junk.b(Junk.java:17)",
    "\tat Junk.a(Junk.java:11)",
    "\t... 1 more",
    "Caused by: LowLevelException",
    "\tat Junk.e(Junk.java:30)",
    "\tat Junk.d(Junk.java:27)",
    "\tat Junk.c(Junk.java:21)",
    "\t... 3 more",
  ].join("\n"),
  // The javadoc's suppressed-exception example
  [
    'Exception in thread "main" java.lang.Exception: Something happened',
    "\tat Foo.bar(Foo.java:10)",
    "\tat Foo.main(Foo.java:5)",
    "\tSuppressed: Resource$CloseFailException: Resource ID = 0",
    "\t\tat Resource.close(Resource.java:26)",
    "\t\tat Foo.bar(Foo.java:9)",
    "\t\t... 1 more",
  ].join("\n"),
  "2026-11-29 13:00:02.000 INFO  [main] c.e.App - next",
];

test("java: stack traces with Caused by, ... N more and Suppressed (published examples)", () => {
  assert.deepEqual(texts(`${JAVA.join("\n")}\n`, { modes: ["java"] }), JAVA);
});

const GO = [
  "2026/11/29 13:00:00 serving on :8080",
  // The Go playground's index-out-of-range panic
  ["panic: runtime error: index out of range [5] with length 3", "", "goroutine 1 [running]:", "main.main()", "\t/tmp/sandbox/prog.go:8 +0x1d", "exit status 2"].join("\n"),
  // A nil dereference with its signal line
  [
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4a6]",
    "",
    "goroutine 1 [running]:",
    "main.(*Server).handle(0x0, {0x4b8e20, 0xc000010018})",
    "\t/home/u/srv/main.go:21 +0x26",
    "main.main()",
    "\t/home/u/srv/main.go:9 +0x1f",
  ].join("\n"),
  // A deadlock: several goroutines separated by blank lines, one created by another
  [
    "fatal error: all goroutines are asleep - deadlock!",
    "",
    "goroutine 1 [chan receive]:",
    "main.main()",
    "\t/tmp/sandbox/prog.go:5 +0x2d",
    "",
    "goroutine 18 [chan send]:",
    "main.worker(0xc000012345)",
    "\t/tmp/sandbox/prog.go:12 +0x3b",
    "created by main.main in goroutine 1",
    "\t/tmp/sandbox/prog.go:4 +0x25",
  ].join("\n"),
  "",
  "2026/11/29 13:00:05 restarted",
];

test("go: panics and goroutine dumps with blank lines inside; a blank line after one stays its own line", () => {
  assert.deepEqual(texts(`${GO.join("\n")}\n`, { modes: ["go"] }), GO);
});

test("csv: a quoted value holding newlines is one record; records leave at once, not at the timeout", () => {
  const records = ['id,name,comment', '1,ann,"line one', 'line two"', '2,bob,"say ""hi""', '', 'bye"', '3,cy,plain'];
  const joiner = new LineJoiner(compileMultiline(settings({ modes: ["csv"] })), { joinedEvents: 0, joinedLines: 0, cutEvents: 0 });
  const out: JoinedLine[] = [];
  let offset = 0;
  for (const text of records) joiner.push({ text, offset, end: (offset += text.length + 1), truncated: false, partial: false }, 0, out);
  assert.deepEqual(out.map((e) => e.text), ["id,name,comment", '1,ann,"line one\nline two"', '2,bob,"say ""hi""\n\nbye"', "3,cy,plain"]);
  assert.equal(joiner.held, undefined, "nothing waits");
});

test("cri: partial lines joined per stream up to the F line; the first line's time and stream, tag F", () => {
  const lines = [
    "2016-10-06T00:17:09.669794202Z stdout P log content 1",
    "2016-10-06T00:17:09.669794203Z stderr F an error line",
    "2016-10-06T00:17:09.669794204Z stdout P  and 2",
    "2016-10-06T00:17:09.669794205Z stdout F  and 3",
    "2016-10-06T00:17:10.000000000Z stdout F ",
    "not a cri line",
  ];
  const events = joinLines(`${lines.join("\n")}\n`, { modes: ["cri"] });
  assert.deepEqual(events.map((e) => [e.text, e.offset, e.lines]), [
    ["2016-10-06T00:17:09.669794202Z stdout F log content 1 and 2 and 3", 0, 3],
    ["2016-10-06T00:17:09.669794203Z stderr F an error line", lines[0]!.length + 1, 1],
    ["2016-10-06T00:17:10.000000000Z stdout F ", events[2]!.offset, 1],
    ["not a cri line", events[3]!.offset, 1],
  ]);
});

test("docker: a log without its final newline is joined with the next lines of the same stream", () => {
  const lines = [
    '{"log":"part one, ","stream":"stdout","time":"2019-01-01T11:11:11.111111111Z"}',
    '{"log":"err\\n","stream":"stderr","time":"2019-01-01T11:11:11.15Z"}',
    '{"log":"part two\\n","stream":"stdout","time":"2019-01-01T11:11:11.2Z"}',
  ];
  const events = texts(`${lines.join("\n")}\n`, { modes: ["docker"] }).map((t) => JSON.parse(t));
  assert.deepEqual(events, [
    { log: "part one, part two\n", stream: "stdout", time: "2019-01-01T11:11:11.111111111Z" },
    { log: "err\n", stream: "stderr", time: "2019-01-01T11:11:11.15Z" },
  ]);
});

test("cri + python: partials rebuilt first, then the traceback joined inside the content, stdout interleaved", () => {
  const t = (i: number) => `2026-11-29T13:00:0${i}.000000000Z`;
  const lines = [
    `${t(0)} stderr F ERROR:root:failed`,
    `${t(1)} stderr F Traceback (most recent call last):`,
    `${t(1)} stdout F hello from stdout`,
    `${t(2)} stderr P   File "app.py", line 3, `,
    `${t(2)} stderr F in <module>`,
    `${t(3)} stderr F ValueError: bad`,
    `${t(4)} stderr F INFO:root:next`,
  ];
  assert.deepEqual(texts(`${lines.join("\n")}\n`, { modes: ["cri", "python"] }), [
    `${t(0)} stderr F ERROR:root:failed\nTraceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: bad`,
    `${t(1)} stdout F hello from stdout`,
    `${t(4)} stderr F INFO:root:next`,
  ]);
  const docker = ['{"log":"Exception in thread \\"main\\" java.lang.Error: x\\n","stream":"stderr"}', '{"log":"\\tat A.b(A.java:1)\\n","stream":"stderr"}', '{"log":"next\\n","stream":"stderr"}'];
  assert.deepEqual(texts(`${docker.join("\n")}\n`, { modes: ["docker", "java"] }).map((x) => JSON.parse(x).log), ['Exception in thread "main" java.lang.Error: x\n\tat A.b(A.java:1)\n', "next\n"]);
});

test("custom: start (halt before), continue (continue through), both, and end", () => {
  const log = ["2026-01-01 a", "  more a", "x", "2026-01-01 b", "  more b"].join("\n");
  assert.deepEqual(texts(log, { modes: [], start: "^\\d{4}-" }), ["2026-01-01 a\n  more a\nx", "2026-01-01 b\n  more b"]);
  assert.deepEqual(texts(log, { modes: [], continue: "^\\s" }), ["2026-01-01 a\n  more a", "x", "2026-01-01 b\n  more b"]);
  assert.deepEqual(texts(`  lead\n${log}`, { modes: [], start: "^\\d{4}-", continue: "^\\s" }), ["  lead", "2026-01-01 a\n  more a", "x", "2026-01-01 b\n  more b"]);
  assert.deepEqual(texts("BEGIN\n1\nEND\nBEGIN\n2", { modes: [], start: "^BEGIN", end: "^END" }), ["BEGIN\n1\nEND", "BEGIN\n2"]);
});

test("timeout: an event whose next line is late leaves as it is; held keeps the checkpoint before it", () => {
  const joiner = new LineJoiner(compileMultiline(settings({ modes: ["python"], timeout: 1000 })), { joinedEvents: 0, joinedLines: 0, cutEvents: 0 });
  const out: JoinedLine[] = [];
  joiner.push({ text: "ERROR boom", offset: 0, end: 11, truncated: false, partial: false }, 0, out);
  joiner.push({ text: "Traceback (most recent call last):", offset: 11, end: 46, truncated: false, partial: false }, 10, out);
  assert.equal(out.length, 0);
  assert.equal(joiner.held, 0);
  joiner.expire(1009, out);
  assert.equal(out.length, 0, "not yet");
  joiner.expire(1010, out);
  assert.deepEqual(out.map((e) => [e.text, e.offset, e.end]), [["ERROR boom\nTraceback (most recent call last):", 0, 46]]);
  assert.equal(joiner.held, undefined);
});

test("limits: a never-ending event is cut at maxLines and at maxBytes, every piece flagged, counted", () => {
  const frames = Array.from({ length: 25 }, (_, i) => `\tat F.f${i}(F.java:${i})`);
  const stats = { joinedEvents: 0, joinedLines: 0, cutEvents: 0 };
  const events = joinLines(["java.lang.Error: x", ...frames, "next"].join("\n"), { modes: ["java"], maxLines: 10 }, stats);
  assert.deepEqual(events.map((e) => [e.lines, e.truncated]), [[10, true], [10, true], [6, true], [1, false]]);
  assert.equal(stats.cutEvents, 2);
  assert.equal(events.slice(0, 3).map((e) => e.text).join("\n"), ["java.lang.Error: x", ...frames].join("\n"), "nothing lost at the cuts");
  const bytes = joinLines(["java.lang.Error: x", ...frames].join("\n"), { modes: ["java"], maxBytes: 100 });
  assert.ok(bytes.length > 3 && bytes.every((e) => e.truncated && encoder.encode(e.text).length + 1 <= 100 + 30));
});

test("the option: a mode, a list, or an object; problems are config errors", () => {
  const schema = z.object({ multiline: multilineOption() });
  const parse = (v: unknown) => schema.safeParse({ multiline: v });
  assert.deepEqual(parse("python").data?.multiline, { modes: ["python"], timeout: 1000, maxLines: 500, maxBytes: 1_048_576 });
  assert.deepEqual(parse(["cri", "java"]).data?.multiline?.modes, ["cri", "java"]);
  assert.deepEqual(parse({ start: "^\\d", timeout: "250ms", maxLines: 20 }).data?.multiline, { modes: [], start: "^\\d", timeout: 250, maxLines: 20, maxBytes: 1_048_576 });
  assert.equal(parse(undefined).data?.multiline, undefined);
  for (const bad of ["ruby", [], {}, { start: "(a)\\1" }, { modes: "python", maxLines: 0 }, { modes: "python", extra: 1 }]) {
    const result = parse(bad);
    assert.equal(result.success, false, JSON.stringify(bad));
  }
  assert.match(JSON.stringify(parse({ start: "(a)\\1" }).error?.issues), /backreferences/);
  assert.match(JSON.stringify(parse("ruby").error?.issues), /expected a multiline mode/);
});

test("cri: a stream stopped mid-line while the other floods holds back at most maxLines events, then leaves as it is", () => {
  const joiner = new LineJoiner(compileMultiline(settings({ modes: ["cri"], maxLines: 50 })), { joinedEvents: 0, joinedLines: 0, cutEvents: 0 });
  const out: JoinedLine[] = [];
  let offset = 0;
  const push = (text: string) => joiner.push({ text, offset, end: (offset += text.length + 1), truncated: false, partial: false }, 0, out);
  push("2026-11-29T13:00:00.000000000Z stdout P waiting for the rest");
  for (let i = 0; i < 50; i++) push(`2026-11-29T13:00:00.000000000Z stderr F flood ${i}`);
  assert.equal(out.length, 0, "held behind the open stdout line");
  assert.equal(joiner.held, 0);
  push("2026-11-29T13:00:00.000000000Z stderr F flood 50");
  assert.equal(out.length, 52);
  assert.equal(out[0]!.text, "2026-11-29T13:00:00.000000000Z stdout P waiting for the rest", "tag P: it never saw its end");
  assert.equal(joiner.held, undefined);
});
