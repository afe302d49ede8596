/**
 * Contract checks: what every plugin of a kind must do, whatever it does
 * otherwise. Each check throws a ContractViolation listing every broken rule
 * (one line each), so `await checkSinkContract(mySink({ ... }))` is a whole test.
 */
import { LEVELS, isRawLine, type Entry, type LogRecord, type PluginSpec, type Sink } from "../core/mod.ts";
import { createTestContext, type TestContext, type TestContextOptions } from "./context.ts";
import { instantiate } from "./instantiate.ts";
import { rawLines } from "./run.ts";
import { turn } from "./fake-clock.ts";

export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
  constructor(
    readonly plugin: string,
    readonly problems: readonly string[],
  ) {
    super(`${plugin} breaks the plugin contract:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const describeValue = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))?.slice(0, 200) ?? String(value);

/** What is wrong with a record's shape, or undefined. */
export function recordProblem(record: unknown): string | undefined {
  if (typeof record !== "object" || record === null) return `not an object: ${describeValue(record)}`;
  const r = record as Partial<LogRecord>;
  if (typeof r.time !== "number" || !Number.isFinite(r.time)) return `time is not a finite number: ${describeValue(r.time)}`;
  if (!LEVELS.includes(r.level as never)) return `level is not one of ${LEVELS.join(", ")}: ${describeValue(r.level)}`;
  if (typeof r.message !== "string") return `message is not a string: ${describeValue(r.message)}`;
  if (r.service !== undefined && typeof r.service !== "string") return `service is not a string: ${describeValue(r.service)}`;
  if (r.fields !== undefined && (typeof r.fields !== "object" || r.fields === null || Array.isArray(r.fields))) return `fields is not an object: ${describeValue(r.fields)}`;
  if (r.tags !== undefined && (!Array.isArray(r.tags) || r.tags.some((t) => typeof t !== "string"))) return `tags is not an array of strings: ${describeValue(r.tags)}`;
  return undefined;
}

function entryProblem(entry: Entry): string | undefined {
  if (typeof entry === "object" && entry !== null && isRawLine(entry)) {
    return typeof (entry as { text?: unknown }).text === "string" ? undefined : "a raw line whose text is not a string";
  }
  return recordProblem(entry);
}

async function loadFastCheck(): Promise<typeof import("fast-check")> {
  try {
    return await import("fast-check");
  } catch {
    throw new Error("parser and transform contract checks need fast-check: npm install --save-dev fast-check");
  }
}

export interface ParserContractOptions extends TestContextOptions {
  /** Lines of the format: the checks also mutate them (cut, splice, repeat). */
  samples?: readonly string[];
  /** Generated inputs (default 500). */
  runs?: number;
  /** Longest one parse may take, ms (default 1000): a catastrophic regex shows here. A line over it is timed again, so a GC pause on a loaded machine is not reported. */
  maxMsPerLine?: number;
  /** Seed, to replay a failure (fast-check prints it). */
  seed?: number;
}

/**
 * A parser never throws, whatever the line; it returns a well-formed record, a decoded
 * line, or a reason; and no line takes longer than `maxMsPerLine`.
 *
 * @example
 * test("my parser keeps the contract", () => checkParserContract(myParser(), { samples: ["ts=1 level=info msg=hi"] }));
 */
export async function checkParserContract(spec: PluginSpec<"parser">, options: ParserContractOptions = {}): Promise<void> {
  const fc = await loadFastCheck();
  const test = await createTestContext(options);
  const parser = await instantiate(spec, test);
  const limit = options.maxMsPerLine ?? 1000;
  const problems: string[] = [];
  const timed = (line: import("../core/mod.ts").RawLine) => {
    const started = performance.now();
    const result = parser.parse(line);
    return { result, ms: performance.now() - started };
  };
  const check = (text: string): boolean => {
    const [line] = rawLines([text]);
    let result;
    let ms;
    try {
      ({ result, ms } = timed(line!));
      if (ms > limit) ms = Math.min(ms, timed(line!).ms);
    } catch (error) {
      problems.push(`parse threw ${error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error)} on ${describeValue(text)}`);
      return false;
    }
    if (ms > limit) {
      problems.push(`parse took ${Math.round(ms)} ms (limit ${limit}) on a ${text.length}-character line starting ${describeValue(text.slice(0, 60))}`);
      return false;
    }
    if (!result || typeof result.isOk !== "function") {
      problems.push(`parse returned ${describeValue(result)}, not a Result`);
      return false;
    }
    if (result.isOk()) {
      const problem = entryProblem(result.value as Entry);
      if (problem) problems.push(`parsed ${describeValue(text)} into a bad record: ${problem}`);
      return !problem;
    }
    const reason = (result.error as { reason?: unknown })?.reason;
    if (typeof reason !== "string" || reason.trim() === "") {
      problems.push(`refused ${describeValue(text)} without a reason: ${describeValue(result.error)}`);
      return false;
    }
    return true;
  };
  // Inputs that break hand-written parsers: empty, huge, NUL, invalid surrogates, deep nesting.
  const fixed = ["", " ", "\0", "\uFFFD\uD800", "{", "}", "[]", "null", "{}", "{\"level\":{}}", '{"time":"x"}', "[".repeat(10_000), `{"a":${"[".repeat(5000)}`, "x".repeat(1_000_000), "<34>1 - - - - - -", ":::"];
  for (const text of fixed) check(text);
  const samples = options.samples ?? [];
  for (const text of samples) check(text);
  const mutated = samples.length
    ? fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ maxLength: 20 })).map(([s, a, b, insert]) => {
        const i = a % (s.length + 1);
        const j = i + (b % (s.length - i + 1));
        return s.slice(0, i) + insert + s.slice(j);
      })
    : fc.constant("");
  const anyLine = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ level: v, time: v, message: v, msg: v, fields: v })),
    mutated,
  );
  // Problems are collected, not thrown, so fast-check runs on; the first few are reported.
  fc.assert(fc.property(anyLine, (text) => void check(text)), { numRuns: options.runs ?? 500, seed: options.seed });
  if (problems.length) throw new ContractViolation(spec.definition.name, problems.slice(0, 10));
}

export interface TransformContractOptions extends TestContextOptions {
  /** Records the transform is meant for, checked first (and used as seeds). */
  samples?: readonly LogRecord[];
  runs?: number;
  seed?: number;
}

/** A transform never throws on a well-formed record, and returns a well-formed record or undefined (dropped). */
export async function checkTransformContract(spec: PluginSpec<"transform">, options: TransformContractOptions = {}): Promise<void> {
  const fc = await loadFastCheck();
  const test = await createTestContext(options);
  const transform = await instantiate(spec, test);
  const problems: string[] = [];
  const check = (record: LogRecord) => {
    const input = describeValue(record);
    try {
      const out = transform.transform(record);
      const problem = out === undefined ? undefined : recordProblem(out);
      if (problem) problems.push(`returned a bad record for ${input}: ${problem}`);
    } catch (error) {
      problems.push(`transform threw ${error instanceof Error ? error.message : describeValue(error)} on ${input}`);
    }
  };
  for (const record of options.samples ?? []) check(structuredClone(record));
  const text = fc.string({ maxLength: 80 });
  const record = fc.record(
    {
      time: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      level: fc.constantFrom(...LEVELS),
      message: text,
      service: text,
      fields: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      tags: fc.array(text, { maxLength: 3 }),
      raw: text,
      origin: fc.record({ source: text, file: text, offset: fc.nat() }, { requiredKeys: [] }),
    },
    { requiredKeys: ["time", "level", "message"] },
  );
  fc.assert(fc.property(record, (r) => void check(r as LogRecord)), { numRuns: options.runs ?? 500, seed: options.seed });
  if (problems.length) throw new ContractViolation(spec.definition.name, problems.slice(0, 10));
}

export interface SinkContractOptions extends TestContextOptions {
  /**
   * Reads back how many records the sink's output holds (lines of its file, say). With it the check
   * also proves that `flush` makes writes visible: what a pipeline relies on when it acknowledges a batch.
   */
  readBack?: (test: TestContext) => number | Promise<number>;
  /** Records to write (default: three small ones). */
  records?: readonly LogRecord[];
}

const defaultRecords = (): LogRecord[] =>
  [1, 2, 3].map((seq) => ({ time: Date.UTC(2026, 0, 1, 0, 0, seq), level: "INFO", message: `contract record ${seq}`, service: "contract", fields: { seq }, tags: [] }));

async function settles(promise: () => unknown): Promise<{ threw?: unknown }> {
  try {
    await promise();
    return {};
  } catch (error) {
    return { threw: error ?? new Error("rejected with nothing") };
  }
}

/**
 * A sink takes batches, makes them visible by `flush`, closes once for good: a second `close` is a no-op,
 * and `write` after `close` fails loudly instead of losing the records.
 *
 * @example
 * test("my sink keeps the contract", () => checkSinkContract(mySink({ path }), { readBack: () => lines(path).length }));
 */
export async function checkSinkContract(spec: PluginSpec<"sink">, options: SinkContractOptions = {}): Promise<void> {
  const test = await createTestContext(options);
  const problems: string[] = [];
  let sink: Sink;
  try {
    sink = await instantiate(spec, test);
  } catch (error) {
    throw new ContractViolation(spec.definition.name, [`create failed: ${error instanceof Error ? error.message : describeValue(error)}`]);
  }
  const records = options.records ?? defaultRecords();
  const before = options.readBack ? await options.readBack(test) : 0;
  const wrote = await settles(() => sink.write(records));
  if (wrote.threw) problems.push(`write of ${records.length} records threw: ${String(wrote.threw)}`);
  const emptyWrite = await settles(() => sink.write([]));
  if (emptyWrite.threw) problems.push(`write of an empty batch threw: ${String(emptyWrite.threw)}`);
  const flushed = await settles(() => sink.flush());
  if (flushed.threw) problems.push(`flush threw: ${String(flushed.threw)}`);
  if (options.readBack && !wrote.threw && !flushed.threw) {
    const visible = (await options.readBack(test)) - before;
    if (visible !== records.length) problems.push(`after flush, the output holds ${visible} of the ${records.length} records written: acknowledgements would lose data`);
  }
  const closed = await settles(() => sink.close());
  if (closed.threw) problems.push(`close threw: ${String(closed.threw)}`);
  const closedAgain = await settles(() => sink.close());
  if (closedAgain.threw) problems.push(`a second close threw (close must be idempotent): ${String(closedAgain.threw)}`);
  const late = await settles(() => sink.write(records));
  if (!late.threw) problems.push("write after close was accepted: records written to a closed sink are lost silently");
  if (problems.length) throw new ContractViolation(spec.definition.name, problems);
}

export interface SourceContractOptions extends TestContextOptions {
  /** Called before each instance starts (write the file a tail source reads, ...). */
  prepare?: () => void | Promise<void>;
  /** The source keeps positions across restarts, advanced only by acks (tail, journal): checks that. */
  checkpointed?: boolean;
  /** Largest batch a source may yield after its reader paused (default 100,000 entries). */
  maxBatchEntries?: number;
  /** Real time the reader pauses before the batch-size check (default 50 ms), besides an hour of fake time. */
  pauseMs?: number;
  /** Real time a source has to end after its signal aborts (default 2,000 ms). */
  abortWithinMs?: number;
}

type Pull = IteratorResult<import("../core/mod.ts").Batch | Entry[]>;
const entriesOf = (value: Pull["value"]): Entry[] => (Array.isArray(value) ? value : (value?.entries ?? []));

async function withRealTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pulls the next batch, moving a fake clock while the source waits on it; "timeout" after `ms` of real time. */
async function pull(iterator: AsyncIterator<import("../core/mod.ts").Batch | Entry[]>, clock: unknown, ms: number): Promise<Pull | "timeout"> {
  const next = iterator.next();
  const deadline = performance.now() + ms;
  const fake = clock as { pending?: number; advanceToNext?: () => Promise<boolean>; advance?: (ms: number) => Promise<void> };
  let settled: Pull | undefined;
  void next.then((r) => (settled = r), () => {});
  while (performance.now() < deadline) {
    const r = await withRealTimeout(next, 5);
    if (r !== "timeout") return r;
    if (settled) return settled;
    if (typeof fake.advance === "function") await ((fake.pending ?? 0) > 0 ? fake.advanceToNext!() : fake.advance(1000));
  }
  return "timeout";
}

/**
 * A source yields well-formed entries, pulled (a paused reader does not make it pile up one huge
 * batch), ends promptly when its signal aborts, and, when `checkpointed`, advances its saved
 * position only for acknowledged batches: a batch taken but never acknowledged comes again after a restart.
 */
export async function checkSourceContract(spec: PluginSpec<"source">, options: SourceContractOptions = {}): Promise<void> {
  const name = spec.definition.name;
  const problems: string[] = [];
  const abortWithin = options.abortWithinMs ?? 2000;
  const start = async () => {
    await options.prepare?.();
    const test = await createTestContext(options);
    const source = await instantiate(spec, test);
    return { test, source, iterator: source.batches()[Symbol.asyncIterator]() };
  };
  const stop = async (run: Awaited<ReturnType<typeof start>>, pending?: Promise<unknown>) => {
    run.test.abort();
    const ended = await withRealTimeout(pending ?? run.iterator.return?.(undefined) ?? Promise.resolve(), abortWithin);
    if (ended === "timeout") problems.push(`did not end within ${abortWithin} ms of its signal aborting`);
    const closed = await settles(async () => run.source.close?.());
    if (closed.threw) problems.push(`close threw: ${String(closed.threw)}`);
  };

  // 1. Entries are well formed; a pause of the reader does not build one unbounded batch.
  const first = await start();
  const got = await pull(first.iterator, first.test.clock, 10_000);
  if (got === "timeout" || got.done) {
    problems.push(got === "timeout" ? "yielded nothing within 10 s" : "ended without yielding anything");
    await stop(first);
    throw new ContractViolation(name, problems);
  }
  const firstEntries = entriesOf(got.value);
  for (const entry of firstEntries.slice(0, 1000)) {
    const problem = entryProblem(entry);
    if (problem) {
      problems.push(`yielded a bad entry: ${problem}`);
      break;
    }
  }
  const clock = first.test.clock as { advance?: (ms: number) => Promise<void> };
  // The reader pauses: an hour of fake time, and a little real time for sources that do work on their own timers.
  if (clock.advance) await clock.advance(3_600_000);
  await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 50));
  for (let i = 0; i < 10; i++) await turn();
  const afterPause = await pull(first.iterator, first.test.clock, 10_000);
  if (afterPause !== "timeout" && !afterPause.done) {
    const size = entriesOf(afterPause.value).length;
    const max = options.maxBatchEntries ?? 100_000;
    if (size > max) problems.push(`after its reader paused, yielded a batch of ${size} entries (over ${max}): it does not wait to be pulled`);
  }

  // 2. Aborting while the source is waiting ends it.
  const waiting = first.iterator.next();
  void waiting.catch(() => {});
  await turn();
  await stop(first, waiting);

  // 3. Checkpoints follow acks.
  if (options.checkpointed) {
    const unacked = await start();
    const taken = await pull(unacked.iterator, unacked.test.clock, 10_000);
    await stop(unacked);
    const again = await start();
    const replay = await pull(again.iterator, again.test.clock, 10_000);
    const takenFirst = taken !== "timeout" && !taken.done ? entriesOf(taken.value)[0] : undefined;
    const replayFirst = replay !== "timeout" && !replay.done ? entriesOf(replay.value)[0] : undefined;
    const same = (a: Entry | undefined, b: Entry | undefined) => a !== undefined && b !== undefined && (a as { text?: string; message?: string }).text === (b as { text?: string }).text && (a as { message?: string }).message === (b as { message?: string }).message;
    if (!same(takenFirst, replayFirst)) problems.push(`a batch taken but never acknowledged did not come again after a restart (first entry then ${describeValue(takenFirst)}, after ${describeValue(replayFirst)})`);
    if (replay !== "timeout" && !replay.done) (replay.value as { ack?: () => void }).ack?.();
    await stop(again);
    const after = await start();
    const next = await pull(after.iterator, after.test.clock, 2_000);
    const nextFirst = next !== "timeout" && !next.done ? entriesOf(next.value)[0] : undefined;
    if (same(replayFirst, nextFirst)) problems.push("an acknowledged batch came again after a clean restart");
    await stop(after);
  }
  if (problems.length) throw new ContractViolation(name, problems);
}
