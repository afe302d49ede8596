/**
 * Runs one pipeline: sources -> bounded channel -> parsers -> transforms -> one
 * bounded buffer per sink -> sinks. Start order is sinks, transforms, parsers,
 * sources (downstream first); stop order is the reverse, so everything read is
 * drained, flushed and acked. Each sink writes from its own buffer (SinkWorker):
 * a failing sink is retried without holding up the others, until its buffer is
 * full; then the pipeline waits for it, and the sources pause. A batch is
 * acknowledged once every sink (and the dead-letter file) has flushed it.
 */
import { setImmediate } from "node:timers";
import { err, ok, type Result } from "neverthrow";
import type { Bus } from "./bus.ts";
import { Channel } from "./channel.ts";
import { DeadLetter } from "./dead-letter.ts";
import type { Clock } from "./clock.ts";
import type { ResolvedPipeline, ResolvedPlugin } from "./config/validate.ts";
import { messageOf, type LogsimError } from "./errors.ts";
import { createCounters, type Counters } from "./metrics.ts";
import { SinkWorker } from "./sink-worker.ts";
import type { AppView, InstanceOf, Parser, PipelineView, PluginContext, PluginKind, Sink, Source, Transform } from "./plugin.ts";
import type { Runtime } from "./runtime.ts";
import type { Batch, Entry, LogRecord, RawLine } from "./types.ts";
import { BlockBuffers, expandBlock, linesIn } from "./line-block.ts";
import { callHook } from "./_hooks.ts";
import { ParseChain, type ChainStage } from "./parse-chain.ts";
import { EncodedRecords } from "./parallel/encoded.ts";
import { describeWorkers, planWorkers } from "./parallel/plan.ts";
import { WorkerPool } from "./parallel/pool.ts";
import type { BatchResult } from "./parallel/protocol.ts";

export interface RunnerDeps {
  bus: Bus;
  runtime: Runtime;
  clock: Clock;
  hookTimeoutMs: number;
  app: AppView;
}

/** A line no parser understood, on its way to the dead-letter file. */
interface DeadLine {
  line: RawLine;
  reason: string;
  time: number;
}

interface Instance<K extends PluginKind> {
  plugin: ResolvedPlugin<K>;
  counters: Counters;
  instance: InstanceOf[K];
  abort: AbortController;
}

type State = PipelineView["state"];

/** Longest the pipeline runs without letting timers and I/O in (see #process). */
const YIELD_EVERY_MS = 50;

export class PipelineRunner implements PipelineView {
  readonly name: string;
  state: State = "starting";
  readonly plugins: PipelineView["plugins"];
  /** Resolves when the pipeline has stopped, by itself (sources ended) or by stop(). */
  readonly done: Promise<Result<void, LogsimError>>;

  readonly #config: ResolvedPipeline;
  readonly #deps: RunnerDeps;
  readonly #channel: Channel<Batch>;
  readonly #counters = new Map<string, Counters>();
  #sources: Instance<"source">[] = [];
  #parsers: Instance<"parser">[] = [];
  #transforms: Instance<"transform">[] = [];
  /** The parsers and transforms as one chain, once they are created (see #createChain). */
  #chain: ParseChain | undefined;
  #sinks: Instance<"sink">[] = [];
  /** One per sink, then the dead-letter file's. */
  #workers: SinkWorker<unknown>[] = [];
  #deadWorker: SinkWorker<DeadLine> | undefined;
  /** Acks of handled batches, by the batch's sequence number (its #handled count), oldest first. */
  #pendingAcks: Array<{ seq: number; ack: () => void }> = [];
  /** Dead lines of the batch being handled. */
  #dead: DeadLine[] = [];
  /**
   * Acks of batches dropped by the drop-newest policy. A dropped batch is newer
   * than those still queued, so its ack waits until every batch accepted before
   * it has been acknowledged: a checkpoint never passes lines not yet written.
   */
  #dropAcks: Array<{ after: number; ack: () => void }> = [];
  /** Batches that entered the channel, were taken by the processing loop, and were acknowledged. */
  #accepted = 0;
  #handled = 0;
  #acked = 0;
  /** Where unparsable lines go, with `onParseError: "deadletter"`. */
  readonly #deadLetter: DeadLetter | undefined;
  /** The last batch a flush was asked for. */
  #flushRequested = 0;
  #lastFlush = 0;
  #failure: LogsimError | undefined;
  /** A source's batches() threw: the pipeline drains and stops, then ends failed. */
  #sourceFailure: LogsimError | undefined;
  #stopping: Promise<Result<void, LogsimError>> | undefined;
  /** Aborted when the pipeline starts stopping: ends sink retries' backoff at once. */
  readonly #stopSignal = new AbortController();
  #resolveDone!: (result: Result<void, LogsimError>) => void;
  #pumps: Promise<void>[] = [];
  #loop: Promise<void> | undefined;
  /** The parsing threads, with the `workers` setting (see core/parallel); else lines are parsed here. */
  #pool: WorkerPool | undefined;
  /** With `workers`: whether the parsing can run in threads (planned once, at construction). */
  readonly #plan: ReturnType<typeof planWorkers> | undefined;
  /** The workers will parse: sources are told they may hand lines as bytes (ctx.lineBlocks), in buffers the workers give back here. */
  readonly #lineBlocks: BlockBuffers | undefined;

  constructor(config: ResolvedPipeline, deps: RunnerDeps) {
    this.name = config.name;
    this.#config = config;
    this.#deps = deps;
    this.#channel = new Channel(config.capacity);
    const all = [...config.sources, ...config.parsers, ...config.transforms, ...config.sinks];
    for (const p of all) this.#counters.set(p.id, createCounters());
    this.plugins = all.map((p) => ({ id: p.id, name: p.definition.name, kind: p.definition.kind, counters: this.#counters.get(p.id)! }));
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    if (config.parsers.length > 0 && config.onParseError === "deadletter" && config.deadletter) this.#deadLetter = new DeadLetter(deps.runtime.fs, config.deadletter);
    this.#plan = config.workers > 0 ? planWorkers(config) : undefined;
    this.#lineBlocks = this.#plan?.isOk() && deps.runtime.startWorker !== undefined ? new BlockBuffers() : undefined;
  }

  /** Creates every plugin (sinks first) and starts reading. On failure, closes what was created. */
  async start(): Promise<Result<void, LogsimError>> {
    const c = this.#config;
    const created =
      (await this.#createAll(c.sinks, (x) => this.#sinks.push(x))) ??
      (await this.#createAll(c.transforms, (x) => this.#transforms.push(x))) ??
      (await this.#createAll(c.parsers, (x) => this.#parsers.push(x))) ??
      (await this.#createAll(c.sources, (x) => this.#sources.push(x)));
    if (!created) this.#chain = this.#createChain();
    const failed = created ?? (await this.#startPool());
    if (failed) {
      await this.#closeSinks();
      this.#fail(failed);
      return err(failed);
    }
    this.#startWorkers();
    this.state = "running";
    this.#deps.bus.emit("pipeline:started", { pipeline: this.name });
    this.#loop = this.#process();
    this.#pumps = this.#sources.map((s) => this.#pump(s));
    // When every source has ended by itself, drain and stop.
    void Promise.all(this.#pumps).then(() => this.stop());
    return ok(undefined);
  }

  /** Stops sources, drains the channel, flushes and closes sinks. Idempotent. */
  stop(): Promise<Result<void, LogsimError>> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<Result<void, LogsimError>> {
    if (this.state !== "failed") this.state = "stopping";
    this.#stopSignal.abort();
    for (const s of this.#sources) s.abort.abort();
    const timeout = this.#deps.hookTimeoutMs;
    const timer = new AbortController();
    const pumpsEnded = await Promise.race([Promise.all(this.#pumps).then(() => true), this.#deps.clock.sleep(timeout, timer.signal).then(() => false)]);
    timer.abort();
    if (!pumpsEnded) {
      const stuck = this.#sources[0]!;
      this.#report(stuck, { kind: "plugin.hook-timeout", plugin: stuck.plugin.definition.name, id: stuck.plugin.id, hook: "batches (stop)", ms: timeout });
    }
    this.#channel.close();
    await this.#loop;
    this.#pool?.close();
    for (const s of this.#sources) {
      const closed = await callHook(this.#target(s), "close", timeout, () => s.instance.close?.());
      if (closed.isErr()) this.#report(s, closed.error);
    }
    await this.#closeSinks();
    if (!this.#failure && this.#sourceFailure) {
      this.#failure = this.#sourceFailure;
      this.#deps.bus.emit("pipeline:failed", { pipeline: this.name, error: this.#failure });
    }
    if (this.#failure) {
      this.state = "failed";
      const result = err(this.#failure);
      this.#resolveDone(result);
      return result;
    }
    this.state = "stopped";
    this.#deps.bus.emit("pipeline:stopped", { pipeline: this.name });
    this.#resolveDone(ok(undefined));
    return ok(undefined);
  }

  async #createAll<K extends PluginKind>(plugins: ResolvedPlugin<K>[], add: (instance: Instance<K>) => void): Promise<LogsimError | undefined> {
    for (const plugin of plugins) {
      const abort = new AbortController();
      const counters = this.#counters.get(plugin.id)!;
      const ctx = this.#context(plugin, counters, abort.signal);
      const result = await callHook({ id: plugin.id, name: plugin.definition.name }, "create", this.#deps.hookTimeoutMs, () =>
        plugin.definition.create(plugin.options as never, ctx),
      );
      if (result.isErr()) return result.error;
      add({ plugin, counters, instance: result.value as InstanceOf[K], abort });
    }
    return undefined;
  }

  /** A worker per sink and one for the dead-letter file, each with a buffer of `capacity` batches (as the channel). */
  #startWorkers(): void {
    const { bus, clock, hookTimeoutMs } = this.#deps;
    const deps = {
      pipeline: this.name,
      bus,
      clock,
      hookTimeoutMs,
      retry: this.#config.retry,
      stopping: this.#stopSignal.signal,
      failed: () => this.#failure !== undefined,
      fail: (error: LogsimError) => this.#fail(error),
      flushed: () => this.#releaseAcks(),
    };
    const capacity = this.#config.capacity;
    for (const sink of this.#sinks) {
      const instance = sink.instance as Sink;
      const write = (items: readonly LogRecord[] | EncodedRecords) => (items instanceof EncodedRecords ? items.lend((bytes, count) => instance.writeEncoded!(bytes, count)) : instance.write(items));
      const outlet = { target: this.#target(sink), counters: sink.counters, write, flush: () => instance.flush() };
      this.#workers.push(new SinkWorker(outlet as never, capacity, deps));
    }
    const dead = this.#deadLetter;
    if (dead) {
      const outlet = {
        target: { id: `pipelines.${this.name}.deadletter`, name: "deadletter" },
        write: (lines: readonly DeadLine[]) => lines.forEach((d) => dead.add(d.line, d.reason, d.time, this.name)),
        flush: () => dead.flush(),
      };
      this.#deadWorker = new SinkWorker(outlet, capacity, deps);
      this.#workers.push(this.#deadWorker as SinkWorker<unknown>);
    }
  }

  #context(plugin: ResolvedPlugin, counters: Counters, signal: AbortSignal): PluginContext {
    const { bus, runtime, clock, app } = this.#deps;
    const prefix = `[${plugin.definition.name}] `;
    const line = (text: string) => void runtime.stderr.write(`${prefix}${text}\n`);
    const ctx: PluginContext = { id: plugin.id, location: plugin.location, pipeline: this.name, bus, runtime, clock, signal, counters, app, log: { info: line, warn: line } };
    return this.#lineBlocks && plugin.definition.kind === "source" ? { ...ctx, lineBlocks: this.#lineBlocks } : ctx;
  }

  async #pump(source: Instance<"source">): Promise<void> {
    const { counters, abort } = source;
    try {
      for await (const out of source.instance.batches()) {
        const batch: Batch = Array.isArray(out) ? { entries: out } : out;
        const n = batch.entries.length + (batch.blocks ? linesIn(batch.blocks) : 0);
        counters.emitted += n;
        if (this.#config.overflow === "block") {
          if (!(await this.#channel.send(batch))) break;
          this.#accepted++;
        } else if (this.#channel.trySend(batch)) {
          this.#accepted++;
        } else {
          counters.dropped += n;
          // A policy drop is a decision, not a failure: acknowledged (so checkpoints advance) once all before it are.
          if (batch.ack) {
            this.#dropAcks.push({ after: this.#accepted, ack: batch.ack });
            this.#releaseAcks();
          }
          this.#deps.bus.emit("records:dropped", { pipeline: this.name, plugin: source.plugin.id, count: n, reason: "channel-full" });
        }
        if (abort.signal.aborted && this.#channel.closed) break;
      }
    } catch (cause) {
      const error: LogsimError = { kind: "plugin.hook-failed", plugin: source.plugin.definition.name, id: source.plugin.id, hook: "batches", message: messageOf(cause), cause };
      this.#report(source, error);
      // A source that crashed reads no more: stop cleanly (what was read is written and acknowledged)
      // and end failed, so the process exits non-zero and a supervisor's restart resumes from the positions.
      this.#sourceFailure ??= error;
      void this.stop();
    }
  }

  async #process(): Promise<void> {
    const interval = this.#config.flushIntervalMs;
    let yielded = performance.now();
    for (;;) {
      // Sources with data at hand (a backlog, a generator flat out) and a channel that never waits run the
      // pipeline on promise jobs alone, which starve timers, I/O and signals: progress, the web interface
      // and Ctrl-C waited for the end of `collect --once`. Give the event loop a turn every YIELD_EVERY_MS:
      // setImmediate (Bun, Deno and Node have it) runs after the loop's timers and I/O, where a
      // setTimeout(0) also waited out Node's 1 ms least delay (2% of a flat-out generate).
      if (performance.now() - yielded >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
      let batch = this.#channel.tryReceive();
      if (!batch) {
        this.#requestFlush(); // Idle: make what was written durable, so it is acknowledged.
        batch = await this.#channel.receive();
        if (!batch) break;
      }
      if (this.#failure) {
        continue; // Failed: keep draining so sources unblock, but write nothing and ack nothing.
      }
      if (this.#pool) {
        await this.#pool.submit(batch); // Parsed in a worker; written by #deliver, in order.
        continue;
      }
      await this.#handle(batch);
      if (this.#deps.clock.monotonic() - this.#lastFlush >= interval) this.#requestFlush();
    }
    await this.#pool?.drain();
    this.#requestFlush();
    for (const worker of this.#workers) worker.close();
    await Promise.all(this.#workers.map((w) => w.done));
  }

  async #handle(batch: Batch): Promise<void> {
    const seq = ++this.#handled;
    const records: LogRecord[] = [];
    this.#chain!.runAll(batch.blocks ? withBlockLines(batch) : batch.entries, records);
    if (batch.ack) this.#pendingAcks.push({ seq, ack: batch.ack });
    if (this.#dead.length > 0) {
      const dead = this.#dead;
      this.#dead = [];
      if (!this.#deadWorker!.offer(dead)) await this.#deadWorker!.send(dead);
    }
    if (records.length === 0) return;
    const bus = this.#deps.bus;
    if (bus.has("records:processed")) bus.emit("records:processed", { pipeline: this.name, records });
    // The sinks share the array (and the records): they are read-only from here on.
    for (let i = 0; i < this.#sinks.length; i++) {
      const worker = this.#workers[i]!;
      if (!worker.offer(records)) await worker.send(records);
    }
  }

  /**
   * With `workers`: starts the threads, or says in one line why this pipeline's parsing stays on
   * this thread (a plugin with state between lines). Undefined when started (or not wanted).
   */
  async #startPool(): Promise<LogsimError | undefined> {
    const size = this.#config.workers;
    const plan = this.#plan;
    if (size === 0 || plan === undefined) return undefined;
    if (plan.isErr()) {
      void this.#deps.runtime.stderr.write(`${describeWorkers(this.#config)}\n`);
      return undefined;
    }
    const { runtime, clock, bus, hookTimeoutMs } = this.#deps;
    const pool = await WorkerPool.start(size, plan.value, {
      runtime,
      clock,
      startTimeoutMs: hookTimeoutMs,
      wantRecords: () => bus.has("records:processed"),
      deliver: (result, batch) => this.#deliver(result, batch),
      idle: () => this.#flushIfQuiet(),
      recycle: (buffers) => this.#lineBlocks?.give(buffers),
      fail: (message) => this.#fail({ kind: "pipeline.workers-failed", pipeline: this.name, message }),
    });
    if (pool.isErr()) return { kind: "pipeline.workers-failed", pipeline: this.name, message: pool.error };
    this.#pool = pool.value;
    return undefined;
  }

  /**
   * Everything parsed is written: flush if, one event-loop turn later, no batch came in meanwhile (a
   * quiet moment gets its lines out within a millisecond). Checked a turn later because a source with
   * a backlog refills the channel only when it gets a turn: flushing at once flushed (and saved each
   * file's position, fsync included) after every batch, which made `workers: 2` three times slower on
   * a 1M-line backlog. Under load the flush interval paces flushes, as on one thread.
   */
  #flushIfQuiet(): void {
    setTimeout(() => {
      if (this.#channel.size === 0 && this.#pool?.idle) this.#requestFlush();
    }, 0);
  }

  /** A batch a worker parsed, in submission order: what #handle does after parsing, for its result. */
  async #deliver(result: BatchResult, batch: Batch): Promise<void> {
    if (this.#failure) return;
    const seq = ++this.#handled;
    const chain: Instance<PluginKind>[] = [...this.#parsers, ...this.#transforms];
    chain.forEach(({ counters: c }, i) => {
      c.received += result.counters[i * 4]!;
      c.emitted += result.counters[i * 4 + 1]!;
      c.dropped += result.counters[i * 4 + 2]!;
      c.errors += result.counters[i * 4 + 3]!;
    });
    for (const e of result.transformErrors) {
      const t = this.#transforms[e.transform]!;
      this.#report(t, { kind: "plugin.hook-failed", plugin: t.plugin.definition.name, id: t.plugin.id, hook: "transform", message: e.message }, false);
    }
    const last = this.#parsers[this.#parsers.length - 1];
    for (const f of result.failed) {
      this.#deps.bus.emit("record:parse-failed", { pipeline: this.name, plugin: last!.plugin.id, line: f.line.text, reason: f.reason, file: f.line.origin?.file, offset: f.line.origin?.offset });
    }
    if (batch.ack) this.#pendingAcks.push({ seq, ack: batch.ack });
    if (this.#deadLetter && result.failed.length > 0 && !this.#deadWorker!.offer(result.failed)) await this.#deadWorker!.send(result.failed);
    if (result.count > 0) {
      const records = result.records;
      const bus = this.#deps.bus;
      if (records && bus.has("records:processed")) bus.emit("records:processed", { pipeline: this.name, records });
      for (let i = 0; i < this.#sinks.length; i++) {
        const worker = this.#workers[i]!;
        const encoded = result.encoded[i];
        const lent = encoded && (this.#sinks[i]!.instance as Sink).copiesEncoded ? () => this.#pool?.giveBack(encoded.buffer as ArrayBuffer) : undefined;
        const items = encoded ? new EncodedRecords(encoded, result.count, lent) : records!;
        if (!worker.offer(items as never)) await worker.send(items as never);
      }
    }
    if (this.#deps.clock.monotonic() - this.#lastFlush >= this.#config.flushIntervalMs) this.#requestFlush();
  }

  /**
   * The parser chain and transforms on this thread (core/parse-chain.ts, as the workers run them):
   * a line no parser read is reported at once and, with a dead-letter file, kept for it; a throwing
   * transform is reported (counted by the chain).
   */
  #createChain(): ParseChain {
    return new ParseChain({
      parsers: this.#parsers as ChainStage<Parser>[],
      transforms: this.#transforms as ChainStage<Transform>[],
      onParseError: this.#config.onParseError,
      deadLetter: this.#deadLetter !== undefined,
      now: () => this.#deps.clock.now(),
      hooks: {
        parseFailed: (line, reason, time) => {
          const last = this.#parsers[this.#parsers.length - 1]!;
          this.#deps.bus.emit("record:parse-failed", { pipeline: this.name, plugin: last.plugin.id, line: line.text, reason, file: line.origin?.file, offset: line.origin?.offset });
          if (this.#deadLetter) this.#dead.push({ line, reason, time });
        },
        transformFailed: (index, cause) => {
          const t = this.#transforms[index]!;
          this.#report(t, { kind: "plugin.hook-failed", plugin: t.plugin.definition.name, id: t.plugin.id, hook: "transform", message: messageOf(cause) }, false);
        },
      },
    });
  }

  /** Asks every worker to flush what it was given so far, if anything was handled since the last request. */
  #requestFlush(): void {
    this.#lastFlush = this.#deps.clock.monotonic();
    if (this.#handled === this.#flushRequested) return;
    this.#flushRequested = this.#handled;
    for (const worker of this.#workers) worker.requestFlush(this.#handled);
  }

  /** Acknowledges, in order, the batches every worker has flushed; then the dropped batches whose turn came. */
  #releaseAcks(): void {
    if (this.#failure) return;
    let through = this.#handled;
    for (const worker of this.#workers) through = Math.min(through, worker.flushedThrough);
    while (this.#pendingAcks.length > 0 && this.#pendingAcks[0]!.seq <= through) this.#pendingAcks.shift()!.ack();
    this.#acked = Math.max(this.#acked, through);
    while (this.#dropAcks.length > 0 && this.#dropAcks[0]!.after <= this.#acked) this.#dropAcks.shift()!.ack();
  }

  async #closeSinks(): Promise<void> {
    if (this.#deadLetter && !this.#failure) {
      const closed = await callHook({ id: `pipelines.${this.name}.deadletter`, name: "deadletter" }, "close", this.#deps.hookTimeoutMs, () => this.#deadLetter!.close());
      if (closed.isErr()) this.#fail(closed.error);
    } else {
      try {
        this.#deadLetter?.close();
      } catch {
        // Failed already: what it could not write stays unacknowledged.
      }
    }
    for (const sink of this.#sinks.splice(0)) {
      const closed = await callHook(this.#target(sink), "close", this.#deps.hookTimeoutMs, () => (sink.instance as Sink).close());
      if (closed.isErr()) this.#fail(closed.error);
    }
  }

  #target(i: Instance<PluginKind>) {
    return { id: i.plugin.id, name: i.plugin.definition.name };
  }

  #report(i: Instance<PluginKind>, error: LogsimError, count = true): void {
    if (count) i.counters.errors++;
    this.#deps.bus.emit("plugin:error", { pipeline: this.name, plugin: i.plugin.id, error });
  }

  /** The pipeline cannot go on: stop reading, ack nothing further, report once. */
  #fail(error: LogsimError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.state = "failed";
    this.#deps.bus.emit("pipeline:failed", { pipeline: this.name, error });
    for (const s of this.#sources) s.abort.abort();
    void this.stop();
  }
}

/** A batch's entries and then its blocks' lines (a pool that failed to start leaves blocks to this thread). */
function withBlockLines(batch: Batch): Entry[] {
  const entries = [...batch.entries];
  for (const block of batch.blocks!) expandBlock(block, entries);
  return entries;
}

export type { Source };
