import assert from "node:assert/strict";
import { test } from "node:test";
import { err, ok } from "neverthrow";
import { FakeClock } from "./fake-clock.ts";
import { createCounters } from "./metrics.ts";
import { ParseChain, isBlank, type ChainStage, type ParseChainOptions } from "./parse-chain.ts";
import type { Parser, Transform } from "./plugin.ts";
import type { Entry, LogRecord, RawLine } from "./types.ts";

const clock = new FakeClock({ now: 1_000 });
const line = (text: string, origin = { file: "/var/log/a.log", offset: 7 }): RawLine => ({ kind: "line", text, origin });
const stage = <T>(instance: T): ChainStage<T> => ({ instance, counters: createCounters() });

/** Reads `LEVEL message`; anything else fails with "expected LEVEL message". */
const words = (): ChainStage<Parser> =>
  stage({
    parse: (l) => {
      const m = /^(INFO|WARN) (.*)$/.exec(l.text);
      return m ? ok({ time: 5, level: m[1] as "INFO", message: m[2]! }) : err({ reason: "expected LEVEL message" });
    },
  });
/** Reads JSON objects `{"message": ...}`. */
const json = (): ChainStage<Parser> =>
  stage({
    parse: (l) => (l.text.startsWith("{") ? ok({ time: 6, level: "INFO", message: (JSON.parse(l.text) as { message: string }).message }) : err({ reason: "not JSON" })),
  });
/** Unwraps `docker|content`: the content, with an envelope. */
const docker = (): ChainStage<Parser> =>
  stage({
    parse: (l) =>
      l.text.startsWith("docker|")
        ? ok({ kind: "line", text: l.text.slice(7), origin: l.origin, envelope: { time: 42, level: "WARN", service: "api", fields: { stream: "stderr", pod: "p1" } } })
        : err({ reason: "not docker" }),
  });
const header = (): ChainStage<Parser> => stage({ parse: (l) => (l.text === "# header" ? err({ reason: "header", skip: true }) : err({ reason: "not a header" })) });

/** A chain with the hooks' calls recorded. */
function chain(options: Partial<ParseChainOptions> = {}) {
  const failed: Array<{ line: RawLine; reason: string; time: number }> = [];
  const thrown: Array<{ index: number; message: string }> = [];
  const c = new ParseChain({
    parsers: [],
    transforms: [],
    onParseError: "pass",
    deadLetter: false,
    now: () => clock.now(),
    hooks: {
      parseFailed: (l, reason, time) => void failed.push({ line: l, reason, time }),
      transformFailed: (index, cause) => void thrown.push({ index, message: (cause as Error).message }),
    },
    ...options,
  });
  return { chain: c, failed, thrown };
}

const counts = (s: ChainStage<unknown>) => ({ ...s.counters });

test("without parsers a line is an INFO record with the line as its message, at now()", () => {
  const { chain: c } = chain();
  assert.deepEqual(c.run(line("hello")), { time: 1_000, level: "INFO", message: "hello", raw: "hello", origin: { file: "/var/log/a.log", offset: 7 } });
});

test("a blank line is received and dropped by the first parser, which never sees it; no failure", () => {
  const first = words();
  const second = json();
  const { chain: c, failed } = chain({ parsers: [first, second] });
  for (const text of ["", "   ", "\t", "\u00a0"]) assert.equal(c.run(line(text)), undefined);
  assert.deepEqual(counts(first), { received: 4, emitted: 0, dropped: 4, errors: 0 });
  assert.deepEqual(counts(second), { received: 0, emitted: 0, dropped: 0, errors: 0 });
  assert.deepEqual(failed, []);
  assert.equal(isBlank("x"), false);
  assert.equal(isBlank(" x"), false);
});

test("parsers run in order and the first record wins", () => {
  const first = words();
  const second = json();
  const { chain: c } = chain({ parsers: [first, second] });
  assert.equal(c.run(line("WARN disk"))?.message, "disk");
  assert.equal(c.run(line('{"message":"j"}'))?.message, "j");
  assert.deepEqual(counts(first), { received: 2, emitted: 1, dropped: 0, errors: 0 });
  assert.deepEqual(counts(second), { received: 1, emitted: 1, dropped: 0, errors: 0 });
});

test("a decoded line goes on to the next parsers, and the envelope fills in what their record lacks", () => {
  const { chain: c } = chain({ parsers: [docker(), json()] });
  const record = c.run(line('docker|{"message":"inside"}'));
  assert.deepEqual(record, { time: 6, level: "INFO", message: "inside", service: "api", fields: { stream: "stderr", pod: "p1" } });
  const own = stage<Parser>({ parse: () => ok({ time: 7, level: "INFO", message: "own", service: "mine", fields: { pod: "mine" } }) });
  const { chain: keeps } = chain({ parsers: [docker(), own] });
  assert.deepEqual(keeps.run(line("docker|x")), { time: 7, level: "INFO", message: "own", service: "mine", fields: { pod: "mine", stream: "stderr" } });
});

test("a decoded line no later parser reads is the envelope with the content as its message (not a failure)", () => {
  const dec = docker();
  const { chain: c, failed } = chain({ parsers: [dec, json()], onParseError: "drop" });
  const record = c.run(line("docker|plain words"))!;
  assert.deepEqual(record, { time: 42, level: "WARN", message: "plain words", raw: "plain words", origin: { file: "/var/log/a.log", offset: 7 }, service: "api", fields: { stream: "stderr", pod: "p1" } });
  assert.deepEqual(failed, []);
  record.fields!.pod = "changed"; // a copy: the envelope's fields are not the record's
  assert.equal(c.run(line("docker|again"))!.fields!.pod, "p1");
});

test("a skip result drops the line on that parser; the parsers after it do not run; no failure", () => {
  const skip = header();
  const after = words();
  const { chain: c, failed } = chain({ parsers: [skip, after] });
  assert.equal(c.run(line("# header")), undefined);
  assert.deepEqual(counts(skip), { received: 1, emitted: 0, dropped: 1, errors: 0 });
  assert.deepEqual(counts(after), { received: 0, emitted: 0, dropped: 0, errors: 0 });
  assert.deepEqual(failed, []);
});

test("an unread line with a dead-letter file: one error on the last parser, reported with its reason and time, then kept by the caller", () => {
  const first = json();
  const last = words();
  const { chain: c, failed } = chain({ parsers: [first, last], onParseError: "deadletter", deadLetter: true });
  const bad = line("garbage");
  assert.equal(c.run(bad), undefined);
  assert.deepEqual(counts(first), { received: 1, emitted: 0, dropped: 0, errors: 0 });
  assert.deepEqual(counts(last), { received: 1, emitted: 0, dropped: 0, errors: 1 });
  assert.deepEqual(failed, [{ line: bad, reason: "expected LEVEL message", time: 1_000 }]);
});

test("an unread line with onParseError drop: reported, then counted as dropped", () => {
  const last = words();
  const { chain: c, failed } = chain({ parsers: [last], onParseError: "drop" });
  assert.equal(c.run(line("garbage")), undefined);
  assert.deepEqual(counts(last), { received: 1, emitted: 0, dropped: 1, errors: 1 });
  assert.equal(failed.length, 1);
});

test("an unread line with onParseError pass (or deadletter without a file): reported, then passed on tagged _parse_error", () => {
  for (const onParseError of ["pass", "deadletter"] as const) {
    const last = words();
    const { chain: c, failed } = chain({ parsers: [last], onParseError, deadLetter: false });
    assert.deepEqual(c.run(line("garbage")), { time: 1_000, level: "INFO", message: "garbage", raw: "garbage", origin: { file: "/var/log/a.log", offset: 7 }, tags: ["_parse_error"] });
    assert.deepEqual(counts(last), { received: 1, emitted: 0, dropped: 0, errors: 1 });
    assert.equal(failed.length, 1, onParseError);
  }
});

test("transforms run in order with their counters; one returning nothing drops the record and the rest do not see it", () => {
  const upper = stage<Transform>({ transform: (r) => ({ ...r, message: r.message.toUpperCase() }) });
  const dropDebug = stage<Transform>({ transform: (r) => (r.message.includes("DEBUG") ? undefined : r) });
  const mark = stage<Transform>({ transform: (r) => ({ ...r, tags: ["seen"] }) });
  const { chain: c } = chain({ parsers: [words()], transforms: [upper, dropDebug, mark] });
  assert.deepEqual(c.run(line("INFO ok")), { time: 5, level: "INFO", message: "OK", tags: ["seen"] });
  assert.equal(c.run(line("INFO debug noise")), undefined);
  assert.deepEqual(counts(upper), { received: 2, emitted: 2, dropped: 0, errors: 0 });
  assert.deepEqual(counts(dropDebug), { received: 2, emitted: 1, dropped: 1, errors: 0 });
  assert.deepEqual(counts(mark), { received: 1, emitted: 1, dropped: 0, errors: 0 });
});

test("a transform that throws is counted and reported, and the record goes on unchanged to the next", () => {
  const boom = stage<Transform>({
    transform: (r) => {
      r.fields = { touched: true }; // what it did before throwing stays: the record is passed on as it is
      throw new Error("boom");
    },
  });
  const mark = stage<Transform>({ transform: (r) => ({ ...r, tags: ["after"] }) });
  const { chain: c, thrown } = chain({ transforms: [boom, mark] });
  const input: LogRecord = { time: 1, level: "INFO", message: "m" };
  assert.deepEqual(c.run(input), { time: 1, level: "INFO", message: "m", fields: { touched: true }, tags: ["after"] });
  assert.deepEqual(counts(boom), { received: 1, emitted: 0, dropped: 0, errors: 1 });
  assert.deepEqual(counts(mark), { received: 1, emitted: 1, dropped: 0, errors: 0 });
  assert.deepEqual(thrown, [{ index: 0, message: "boom" }]);
});

test("runAll pushes the records that come out, in order; records skip the parsers", () => {
  const parser = words();
  const { chain: c } = chain({ parsers: [parser], onParseError: "drop" });
  const entries: Entry[] = [line("INFO a"), { time: 9, level: "WARN", message: "already a record" }, line(""), line("nope"), line("WARN b")];
  const out: LogRecord[] = [{ time: 0, level: "INFO", message: "there before" }];
  c.runAll(entries, out);
  assert.deepEqual(
    out.map((r) => r.message),
    ["there before", "a", "already a record", "b"],
  );
  assert.equal(parser.counters.received, 4);
});
