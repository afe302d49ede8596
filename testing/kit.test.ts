/** The test kit itself: the fake clock moves only when told, the runners feed and collect, and each contract check catches the fault it names. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { definePlugin, err, ok, type LogRecord, type ParseIssue, type RawLine, type Result } from "../core/mod.ts";
import { heartbeat, json, tag } from "../plugins/mod.ts";
import {
  checkAcksAfterFlush,
  checkParserContract,
  checkSinkContract,
  checkSourceContract,
  checkTransformContract,
  ContractViolation,
  createFakeClock,
  PluginOptionsError,
  runParser,
  runSource,
  runTransform,
} from "./mod.ts";

test("the fake clock wakes sleepers in deadline order when advanced, and never on its own", async () => {
  const clock = createFakeClock({ now: 1_000_000 });
  const woke: string[] = [];
  void clock.sleep(300).then(() => woke.push("300"));
  void clock.sleep(100).then(() => woke.push("100"));
  const aborted = new AbortController();
  const cancelled = clock.sleep(200, aborted.signal);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(woke, [], "nothing wakes in real time");
  aborted.abort();
  assert.equal(await cancelled, false);
  await clock.advance(150);
  assert.deepEqual(woke, ["100"]);
  assert.equal(clock.monotonic(), 150);
  assert.equal(clock.now(), 1_000_150);
  await clock.advance(1000);
  assert.deepEqual(woke, ["100", "300"]);
  assert.equal(clock.pending, 0);
});

test("runSource drives an hourly heartbeat with the fake clock: three records at once, an hour apart in their own time", async () => {
  const started = performance.now();
  const { entries } = await runSource(heartbeat({ interval: "1h", service: "hb" }), { take: 3 });
  assert.equal(entries.length, 3);
  const times = (entries as LogRecord[]).map((r) => r.time);
  assert.deepEqual([times[1]! - times[0]!, times[2]! - times[1]!], [3_600_000, 3_600_000]);
  assert.ok(performance.now() - started < 5000, "no real waiting");
});

test("runParser sorts lines into records and failures with reasons; runTransform returns what the transform made", async () => {
  const parsed = await runParser(json(), ['{"level":"warn","message":"disk","service":"api"}', "not json"]);
  assert.equal(parsed.records.length, 1);
  assert.equal(parsed.records[0]!.level, "WARN");
  assert.equal(parsed.failures.length, 1);
  assert.match(parsed.failures[0]!.reason, /./);
  const tagged = await runTransform(tag({ rules: [{ tag: "api", field: "service", equals: "api" }] }), parsed.records);
  assert.deepEqual(tagged.records[0]!.tags, ["api"]);
});

test("the id option is the framework's, as in a config: the plugin is created under that id", async () => {
  let seen = "";
  const named = definePlugin({ kind: "transform", name: "named", description: "test", schema: z.strictObject({ note: z.string().default("") }), create: (_o, ctx) => ((seen = ctx.id), { transform: (r) => r }) });
  const { records } = await runTransform(named({ id: "edge" }), [{ time: 0, level: "INFO", message: "m" }]);
  assert.equal(records.length, 1);
  assert.equal(seen, "edge");
});

test("bad options are reported one line per problem, naming the option", async () => {
  await assert.rejects(runSource(heartbeat({ interval: "soon" as never })), (error: Error) => error instanceof PluginOptionsError && /interval/.test(error.message));
});

const parserPlugin = (parse: (text: string) => Result<LogRecord | RawLine, ParseIssue>) =>
  definePlugin({ kind: "parser", name: "probe", description: "test", schema: z.object({}), create: () => ({ parse: (line) => parse(line.text) }) });

test("the parser contract catches a parser that throws, one that returns a bad record, and one that backtracks for seconds", async () => {
  const throwing = parserPlugin((text) => ok(JSON.parse(text) as LogRecord));
  await assert.rejects(checkParserContract(throwing(), { runs: 50, seed: 1 }), (e: Error) => e instanceof ContractViolation && /parse threw/.test(e.message));
  const badRecord = parserPlugin((text) => ok({ time: Number.NaN, level: "INFO" as const, message: text }));
  await assert.rejects(checkParserContract(badRecord(), { runs: 50, seed: 1 }), /time is not a finite number/);
  const noReason = parserPlugin(() => err({ reason: "" }));
  await assert.rejects(checkParserContract(noReason(), { runs: 50, seed: 1 }), /without a reason/);
  const slow = parserPlugin((text) => {
    if (text.includes("slow")) for (const end = performance.now() + 80; performance.now() < end; ); // What a catastrophic regex does.
    return err({ reason: "no" });
  });
  await assert.rejects(checkParserContract(slow(), { runs: 1, seed: 1, samples: ["a slow line"], maxMsPerLine: 40 }), /parse took \d+ ms \(limit 40\)/);
  await checkParserContract(json(), { runs: 100, seed: 1 });
});

test("the transform contract catches a transform that throws on records it did not expect", async () => {
  const fragile = definePlugin({ kind: "transform", name: "fragile", description: "test", schema: z.object({}), create: () => ({ transform: (r) => ({ ...r, message: (r.fields!.user as string).toUpperCase() }) }) });
  await assert.rejects(checkTransformContract(fragile(), { runs: 100, seed: 1 }), /transform threw/);
});

function memorySink(faults: { acceptAfterClose?: boolean; closeTwiceThrows?: boolean; flushLies?: boolean }) {
  const out: LogRecord[] = [];
  const plugin = definePlugin({
    kind: "sink",
    name: "memory",
    description: "test",
    schema: z.object({}),
    create: () => {
      let buffered: LogRecord[] = [];
      let closed = false;
      return {
        write(records) {
          if (closed && !faults.acceptAfterClose) throw new Error("closed");
          buffered.push(...records);
        },
        flush() {
          if (faults.flushLies) return;
          out.push(...buffered);
          buffered = [];
        },
        close() {
          if (closed && faults.closeTwiceThrows) throw new Error("already closed");
          closed = true;
          out.push(...buffered);
          buffered = [];
        },
      };
    },
  });
  return { spec: plugin(), readBack: () => out.length };
}

test("the sink contract catches writes accepted after close, a close that cannot run twice, and a flush that does not write", async () => {
  const good = memorySink({});
  await checkSinkContract(good.spec, { readBack: good.readBack });
  const late = memorySink({ acceptAfterClose: true });
  await assert.rejects(checkSinkContract(late.spec, { readBack: late.readBack }), /write after close was accepted/);
  const twice = memorySink({ closeTwiceThrows: true });
  await assert.rejects(checkSinkContract(twice.spec, { readBack: twice.readBack }), /second close threw/);
  const lying = memorySink({ flushLies: true });
  await assert.rejects(checkSinkContract(lying.spec, { readBack: lying.readBack }), /after flush, the output holds 0 of the 3/);
});

test("the ack check passes an honest sink and catches one whose flush does not make the batch visible", async () => {
  const honest = memorySink({});
  await checkAcksAfterFlush(honest.spec, { readBack: honest.readBack });
  const lying = memorySink({ flushLies: true });
  await assert.rejects(checkAcksAfterFlush(lying.spec, { readBack: lying.readBack }), /acknowledged when the output held 0/);
});

test("the source contract catches a source that ignores its abort signal and one that piles up a batch while paused", async () => {
  const deaf = definePlugin({
    kind: "source",
    name: "deaf",
    description: "test",
    schema: z.object({}),
    create: () => ({
      async *batches() {
        yield [{ time: 0, level: "INFO", message: "one" } as LogRecord];
        await new Promise((r) => setTimeout(r, 1000)); // Ignores ctx.signal.
        yield [{ time: 0, level: "INFO", message: "two" } as LogRecord];
        await new Promise((r) => setTimeout(r, 1000));
      },
    }),
  });
  await assert.rejects(checkSourceContract(deaf(), { abortWithinMs: 300 }), /did not end within 300 ms/);
  const pushy = definePlugin({
    kind: "source",
    name: "pushy",
    description: "test",
    schema: z.object({}),
    create: (_o, ctx) => {
      const queue: LogRecord[] = [];
      const timer = setInterval(() => {
        for (let i = 0; i < 5000; i++) queue.push({ time: 0, level: "INFO", message: "x" });
      }, 1);
      ctx.signal.addEventListener("abort", () => clearInterval(timer));
      return {
        async *batches() {
          while (!ctx.signal.aborted) {
            if (queue.length) yield queue.splice(0);
            else if (!(await ctx.clock.sleep(1, ctx.signal))) return;
          }
        },
        close: () => clearInterval(timer),
      };
    },
  });
  await assert.rejects(checkSourceContract(pushy(), { maxBatchEntries: 10_000 }), /yielded a batch of \d+ entries/);
  await checkSourceContract(heartbeat({ interval: "1s" }));
});
