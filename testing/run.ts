/**
 * Run one plugin in isolation: feed it lines or records, collect what comes
 * out. Each runner creates the plugin the way the pipeline does (options
 * validated by its schema) with a test context (fake clock, recorded events).
 */
import { isRawLine, type Batch, type Entry, type LogRecord, type PluginSpec, type RawLine, type Sink, type Source } from "../core/mod.ts";
import { createTestContext, type TestContext, type TestContextOptions } from "./context.ts";
import { instantiate } from "./instantiate.ts";

/** A RawLine as a file source makes it: `origin.file` "test.log" and the line's byte offset, unless given. */
export function rawLines(lines: readonly (string | RawLine)[], file = "test.log"): RawLine[] {
  let offset = 0;
  return lines.map((line) => {
    if (typeof line !== "string") return line;
    const raw: RawLine = { kind: "line", text: line, origin: { source: "test", file, offset } };
    offset += new TextEncoder().encode(line).length + 1;
    return raw;
  });
}

export interface ParserRun {
  /** The records parsed, in input order. */
  records: LogRecord[];
  /** Lines the parser refused, with its reason. */
  failures: Array<{ line: RawLine; reason: string }>;
  /** Lines the parser asked to skip (a CSV header), with its reason. */
  skipped: Array<{ line: RawLine; reason: string }>;
  /** What a decoding parser (docker, cri) unwrapped for the parsers after it. */
  decoded: RawLine[];
  test: TestContext;
}

/**
 * @example
 * const { records, failures } = await runParser(json(), ['{"level":"warn","msg":"disk"}', "not json"]);
 */
export async function runParser(spec: PluginSpec<"parser">, lines: readonly (string | RawLine)[], options: TestContextOptions = {}): Promise<ParserRun> {
  const test = await createTestContext(options);
  const parser = await instantiate(spec, test);
  const run: ParserRun = { records: [], failures: [], skipped: [], decoded: [], test };
  for (const line of rawLines(lines)) {
    const result = parser.parse(line);
    if (result.isOk()) {
      const value = result.value;
      if ("kind" in value && value.kind === "line") run.decoded.push(value);
      else run.records.push(value as LogRecord);
    } else (result.error.skip ? run.skipped : run.failures).push({ line, reason: result.error.reason });
  }
  return run;
}

export interface TransformRun {
  /** What came out, in order (dropped records left out). */
  records: LogRecord[];
  /** How many records the transform dropped. */
  dropped: number;
  test: TestContext;
}

/** Passes each record through the transform, as a pipeline does (one at a time; the transform owns the record). */
export async function runTransform(spec: PluginSpec<"transform">, records: readonly LogRecord[], options: TestContextOptions = {}): Promise<TransformRun> {
  const test = await createTestContext(options);
  const transform = await instantiate(spec, test);
  const run: TransformRun = { records: [], dropped: 0, test };
  for (const record of records) {
    const out = transform.transform(structuredClone(record));
    if (out === undefined) run.dropped++;
    else run.records.push(out);
  }
  return run;
}

export interface SinkRun {
  sink: Sink;
  test: TestContext;
}

/**
 * Writes `batches` to the sink (a flush after each, as the pipeline does on its flush interval), then closes it.
 * Read what it wrote from where it writes (a file), or pass `close: false` to keep it open.
 */
export async function runSink(
  spec: PluginSpec<"sink">,
  batches: ReadonlyArray<readonly LogRecord[]>,
  options: TestContextOptions & { close?: boolean } = {},
): Promise<SinkRun> {
  const test = await createTestContext(options);
  const sink = await instantiate(spec, test);
  for (const batch of batches) {
    await sink.write(batch);
    await sink.flush();
  }
  if (options.close !== false) await sink.close();
  return { sink, test };
}

export interface SourceRun {
  /** Every entry taken, in order. */
  entries: Entry[];
  /** The batches as yielded (a source may yield a bare array: it is wrapped). */
  batches: Batch[];
  /** Whether the source ended by itself (rather than being stopped by `take`/`until`). */
  ended: boolean;
  test: TestContext;
}

export interface SourceRunOptions extends TestContextOptions {
  /** Stop after this many entries (default: run until the source ends). */
  take?: number;
  /** Stop once this returns true (checked after each batch). */
  until?: (entries: readonly Entry[]) => boolean;
  /** Acknowledge each batch after it is taken, as a pipeline does after its sinks flush (default true). */
  ack?: boolean;
  /** With the fake clock, how far to move time while the source waits for it (default 1 s per step). */
  step?: number;
  /** Upper bound on fake-clock steps (default 10,000): a source that never yields fails instead of hanging. */
  maxSteps?: number;
  /** Setup before the source starts, with the context (write files it reads...). */
  context?: TestContext;
}

const isFakeClock = (clock: unknown): clock is import("../core/fake-clock.ts").FakeClock => typeof (clock as { advance?: unknown }).advance === "function";

/**
 * Pulls batches from a source until it ends, `take` entries arrived or `until` holds; then aborts it and calls its `close`.
 * With the fake clock, time moves forward whenever the source is waiting on it, so a `heartbeat({ interval: "1h" })` runs at once.
 *
 * @example
 * const { entries } = await runSource(heartbeat({ interval: "1h" }), { take: 3 });
 */
export async function runSource(spec: PluginSpec<"source">, options: SourceRunOptions = {}): Promise<SourceRun> {
  const test = options.context ?? (await createTestContext(options));
  const source: Source = await instantiate(spec, test);
  const run: SourceRun = { entries: [], batches: [], ended: false, test };
  const iterator = source.batches()[Symbol.asyncIterator]();
  const clock = test.clock;
  const enough = () => (options.take !== undefined && run.entries.length >= options.take) || (options.until?.(run.entries) ?? false);
  try {
    let steps = 0;
    while (!enough()) {
      const next = iterator.next();
      const result = isFakeClock(clock) ? await driveUntilSettled(next, clock, options.step ?? 1000, () => ++steps > (options.maxSteps ?? 10_000)) : await next;
      if (result.done) {
        run.ended = true;
        break;
      }
      const batch: Batch = Array.isArray(result.value) ? { entries: result.value } : result.value;
      run.batches.push(batch);
      run.entries.push(...batch.entries);
      if (options.ack !== false) batch.ack?.();
    }
  } finally {
    test.abort();
    if (!run.ended) await iterator.return?.(undefined);
    await source.close?.();
  }
  return run;
}

/** Moves the fake clock while `pending` waits on it; fails after `exhausted()` says so. */
async function driveUntilSettled<T>(pending: Promise<T>, clock: import("../core/fake-clock.ts").FakeClock, step: number, exhausted: () => boolean): Promise<T> {
  let settled = false;
  const done = pending.finally(() => (settled = true));
  for (;;) {
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 0))]);
    if (settled) return done;
    if (exhausted()) throw new Error("runSource: the source neither yielded nor ended after the fake clock's step limit (maxSteps)");
    if (clock.pending > 0) await clock.advanceToNext();
    else await clock.advance(step);
  }
}

export { isRawLine };
