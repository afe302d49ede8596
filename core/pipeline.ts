/**
 * Runs one pipeline: sources -> bounded channel -> parsers -> transforms -> sinks.
 * Start order is sinks, transforms, parsers, sources (downstream first); stop
 * order is the reverse, so everything read is drained, flushed and acked.
 */
import { err, ok, type Result } from "neverthrow";
import type { Bus } from "./bus.ts";
import { Channel } from "./channel.ts";
import { DeadLetter } from "./dead-letter.ts";
import type { Clock } from "./clock.ts";
import type { ResolvedPipeline, ResolvedPlugin } from "./config/validate.ts";
import { messageOf, type LogsimError } from "./errors.ts";
import { createCounters, type Counters } from "./metrics.ts";
import type { AppView, InstanceOf, Parser, PipelineView, PluginContext, PluginKind, Sink, Source, Transform } from "./plugin.ts";
import type { Runtime } from "./runtime.ts";
import { isRawLine, type Batch, type Envelope, type LogRecord, type RawLine } from "./types.ts";
import { callHook } from "./_hooks.ts";

export interface RunnerDeps {
  bus: Bus;
  runtime: Runtime;
  clock: Clock;
  hookTimeoutMs: number;
  app: AppView;
  /**
   * Attempts after the first before a failing sink fails the pipeline once it is
   * stopping (default 5, backoff from 100 ms). While it runs, a failing sink is
   * retried until it works again (see #retry).
   */
  sinkRetries?: number;
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
  #sinks: Instance<"sink">[] = [];
  #pendingAcks: Array<() => void> = [];
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
  #unflushed = false;
  #lastFlush = 0;
  #failure: LogsimError | undefined;
  #stopping: Promise<Result<void, LogsimError>> | undefined;
  /** Aborted when the pipeline starts stopping: ends sink retries' waits. */
  readonly #stopSignal = new AbortController();
  #resolveDone!: (result: Result<void, LogsimError>) => void;
  #pumps: Promise<void>[] = [];
  #loop: Promise<void> | undefined;

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
  }

  /** Creates every plugin (sinks first) and starts reading. On failure, closes what was created. */
  async start(): Promise<Result<void, LogsimError>> {
    const c = this.#config;
    const created =
      (await this.#createAll(c.sinks, (x) => this.#sinks.push(x))) ??
      (await this.#createAll(c.transforms, (x) => this.#transforms.push(x))) ??
      (await this.#createAll(c.parsers, (x) => this.#parsers.push(x))) ??
      (await this.#createAll(c.sources, (x) => this.#sources.push(x)));
    if (created) {
      await this.#closeSinks();
      this.#fail(created);
      return err(created);
    }
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
    for (const s of this.#sources) {
      const closed = await callHook(this.#target(s), "close", timeout, () => s.instance.close?.());
      if (closed.isErr()) this.#report(s, closed.error);
    }
    await this.#closeSinks();
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

  #context(plugin: ResolvedPlugin, counters: Counters, signal: AbortSignal): PluginContext {
    const { bus, runtime, clock, app } = this.#deps;
    const prefix = `[${plugin.definition.name}] `;
    const line = (text: string) => void runtime.stderr.write(`${prefix}${text}\n`);
    return { id: plugin.id, location: plugin.location, pipeline: this.name, bus, runtime, clock, signal, counters, app, log: { info: line, warn: line } };
  }

  async #pump(source: Instance<"source">): Promise<void> {
    const { counters, abort } = source;
    try {
      for await (const out of source.instance.batches()) {
        const batch: Batch = Array.isArray(out) ? { entries: out } : out;
        const n = batch.entries.length;
        counters.emitted += n;
        if (this.#config.overflow === "block") {
          if (!(await this.#channel.send(batch))) break;
          this.#accepted++;
        } else if (this.#channel.trySend(batch)) {
          this.#accepted++;
        } else {
          counters.dropped += n;
          // A policy drop is a decision, not a failure: acknowledged (so checkpoints advance) once all before it are.
          if (batch.ack) this.#dropAcks.push({ after: this.#accepted, ack: batch.ack });
          this.#deps.bus.emit("records:dropped", { pipeline: this.name, plugin: source.plugin.id, count: n, reason: "channel-full" });
        }
        if (abort.signal.aborted && this.#channel.closed) break;
      }
    } catch (cause) {
      this.#report(source, { kind: "plugin.hook-failed", plugin: source.plugin.definition.name, id: source.plugin.id, hook: "batches", message: messageOf(cause), cause });
    }
  }

  async #process(): Promise<void> {
    const interval = this.#config.flushIntervalMs;
    let yielded = performance.now();
    for (;;) {
      // Sources with data at hand (a backlog, a generator flat out) and a channel that never waits run the
      // pipeline on promise jobs alone, which starve timers, I/O and signals: progress, the web interface
      // and Ctrl-C waited for the end of `collect --once`. Give the event loop a turn every YIELD_EVERY_MS.
      if (performance.now() - yielded >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yielded = performance.now();
      }
      let batch = this.#channel.tryReceive();
      if (!batch) {
        if (this.#unflushed || this.#pendingAcks.length > 0 || this.#dropAcks.length > 0) await this.#flush();
        batch = await this.#channel.receive();
        if (!batch) break;
      }
      if (this.#failure) {
        continue; // Failed: keep draining so sources unblock, but write nothing and ack nothing.
      }
      await this.#handle(batch);
      if (this.#deps.clock.monotonic() - this.#lastFlush >= interval) await this.#flush();
    }
    if (!this.#failure) await this.#flush();
  }

  async #handle(batch: Batch): Promise<void> {
    this.#handled++;
    const records: LogRecord[] = [];
    for (const entry of batch.entries) {
      let record: LogRecord | undefined = isRawLine(entry) ? this.#parse(entry) : entry;
      for (let i = 0; record && i < this.#transforms.length; i++) record = this.#transform(this.#transforms[i]!, record);
      if (record) records.push(record);
    }
    if (batch.ack) this.#pendingAcks.push(batch.ack);
    if (records.length === 0) return;
    const bus = this.#deps.bus;
    if (bus.has("records:processed")) bus.emit("records:processed", { pipeline: this.name, records });
    await Promise.all(this.#sinks.map((sink) => this.#write(sink, records)));
    this.#unflushed = true;
  }

  #parse(line: RawLine): LogRecord | undefined {
    if (this.#parsers.length === 0) return { time: this.#deps.clock.now(), level: "INFO", message: line.text, raw: line.text, origin: line.origin };
    if (isBlank(line.text)) {
      // Not a record, and not a parse error: counted as received and dropped by the first parser.
      const first = this.#parsers[0]!.counters;
      first.received++;
      first.dropped++;
      return undefined;
    }
    let reason = "";
    let current = line;
    for (const parser of this.#parsers) {
      parser.counters.received++;
      const result = (parser.instance as Parser).parse(current);
      if (result.isOk()) {
        parser.counters.emitted++;
        const value = result.value;
        if (!isRawLine(value)) return current.envelope ? withEnvelope(value, current.envelope) : value;
        current = value; // Decoded: the parsers after this one parse the content.
        continue;
      }
      if (result.error.skip) {
        parser.counters.dropped++;
        return undefined;
      }
      reason = result.error.reason;
    }
    if (current !== line) return fromEnvelope(current, this.#deps.clock.now());
    const last = this.#parsers[this.#parsers.length - 1]!;
    last.counters.errors++;
    this.#deps.bus.emit("record:parse-failed", {
      pipeline: this.name,
      plugin: last.plugin.id,
      line: line.text,
      reason,
      file: line.origin?.file,
      offset: line.origin?.offset,
    });
    // Never silently dropped: counted and reported above, then dead-lettered, dropped on request, or passed on tagged.
    if (this.#deadLetter) {
      this.#deadLetter.add(line, reason, this.#deps.clock.now(), this.name);
      this.#unflushed = true;
      return undefined;
    }
    if (this.#config.onParseError === "drop") {
      last.counters.dropped++;
      return undefined;
    }
    return { time: this.#deps.clock.now(), level: "INFO", message: line.text, raw: line.text, origin: line.origin, tags: ["_parse_error"] };
  }

  #transform(t: Instance<"transform">, record: LogRecord): LogRecord | undefined {
    t.counters.received++;
    try {
      const out = (t.instance as Transform).transform(record);
      if (out) t.counters.emitted++;
      else t.counters.dropped++;
      return out;
    } catch (cause) {
      // A bad record never stops the pipeline: count it and pass it on unchanged.
      t.counters.errors++;
      this.#report(t, { kind: "plugin.hook-failed", plugin: t.plugin.definition.name, id: t.plugin.id, hook: "transform", message: messageOf(cause) }, false);
      return record;
    }
  }

  /** Writes to one sink; a throw means "not accepted", so it is retried with backoff. */
  async #write(sink: Instance<"sink">, records: LogRecord[]): Promise<void> {
    sink.counters.received += records.length;
    const done = await this.#retry(this.#target(sink), sink.counters, "write", () => (sink.instance as Sink).write(records));
    if (done) sink.counters.emitted += records.length;
  }

  /** Flushes every sink; only then are the batches written so far acknowledged. */
  async #flush(): Promise<void> {
    this.#lastFlush = this.#deps.clock.monotonic();
    this.#unflushed = false;
    const results = await Promise.all(this.#sinks.map((sink) => this.#retry(this.#target(sink), sink.counters, "flush", () => (sink.instance as Sink).flush())));
    if (!results.every(Boolean) || !(await this.#flushDeadLetter())) return; // Failed: nothing more is acknowledged.
    for (const ack of this.#pendingAcks.splice(0)) ack();
    this.#acked = this.#handled;
    while (this.#dropAcks.length > 0 && this.#dropAcks[0]!.after <= this.#acked) this.#dropAcks.shift()!.ack();
  }

  /**
   * Calls a sink's hook until it succeeds. While the pipeline runs, that takes as
   * long as it takes (a full disk gets space back): backoff from 100 ms up to 5 s,
   * one `plugin:error` when it starts failing and one `sink:recovered` when it
   * works again. The records wait meanwhile, the channel fills and the sources
   * pause, and nothing more is acknowledged. Stopping ends the wait: a sink
   * failing when stop() came (or the sources ended) gets one last attempt; one
   * that starts failing while the pipeline drains, `sinkRetries` retries. Then
   * it gives up and the pipeline fails with `sink.write-failed`.
   */
  async #retry(target: { id: string; name: string }, counters: Counters | undefined, hook: string, fn: () => unknown): Promise<boolean> {
    if (this.#failure) return false;
    const { bus, clock } = this.#deps;
    const attempts = (this.#deps.sinkRetries ?? 5) + 1;
    const since = clock.monotonic();
    const stoppingAtFirst = this.#stopSignal.signal.aborted;
    for (let attempt = 1; ; attempt++) {
      const result = await callHook(target, hook, this.#deps.hookTimeoutMs, fn);
      if (result.isOk()) {
        if (attempt > 1) bus.emit("sink:recovered", { pipeline: this.name, plugin: target.id, retries: attempt - 1, ms: clock.monotonic() - since });
        return true;
      }
      const stopping = this.#stopSignal.signal.aborted;
      // A failure during the drain gets its retries; a sink already failing when stop came, one last attempt.
      const giveUp = stopping && (attempt >= attempts || !stoppingAtFirst);
      const error: LogsimError =
        result.error.kind === "plugin.hook-failed"
          ? { kind: "sink.write-failed", plugin: target.name, id: target.id, message: result.error.message, retryable: !giveUp }
          : result.error;
      if (counters) counters.errors++;
      if (giveUp) {
        this.#fail(error);
        return false;
      }
      if (attempt === 1) bus.emit("plugin:error", { pipeline: this.name, plugin: target.id, error });
      await clock.sleep(Math.min(100 * 2 ** (attempt - 1), MAX_BACKOFF_MS), stopping ? undefined : this.#stopSignal.signal);
    }
  }

  /** Flushes the dead-letter file, retried as a sink's flush is: its lines' batches are acknowledged only once it is written. */
  async #flushDeadLetter(): Promise<boolean> {
    const dead = this.#deadLetter;
    if (!dead) return true;
    return this.#retry({ id: `pipelines.${this.name}.deadletter`, name: "deadletter" }, undefined, "flush", () => dead.flush());
  }

  async #closeSinks(): Promise<void> {
    await this.#flushDeadLetter();
    try {
      this.#deadLetter?.close();
    } catch {
      // Reported just above.
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

export type { Source };

/** Longest wait between attempts of a failing sink: how soon, at worst, a recovery is noticed. */
const MAX_BACKOFF_MS = 5_000;

/** Empty or white space only; a line that starts with a visible ASCII character is decided by one comparison. */
const isBlank = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return text.length === 0 || ((c <= 32 || c >= 0xa0) && text.trim().length === 0);
};

/** A record whose content was decoded from an envelope: the envelope's fields fill in those it lacks. */
function withEnvelope(record: LogRecord, envelope: Envelope): LogRecord {
  if (envelope.fields) {
    const fields = (record.fields ??= {});
    for (const key of Object.keys(envelope.fields)) if (!Object.hasOwn(fields, key)) fields[key] = envelope.fields[key];
  }
  if (record.service === undefined && envelope.service !== undefined) record.service = envelope.service;
  return record;
}

/** The record of a decoded line no later parser understood: the envelope, with the content as its message. */
function fromEnvelope(line: RawLine, now: number): LogRecord {
  const e = line.envelope ?? {};
  const record: LogRecord = { time: e.time ?? now, level: e.level ?? "INFO", message: line.text, raw: line.text, origin: line.origin };
  if (e.service !== undefined) record.service = e.service;
  if (e.fields) record.fields = { ...e.fields };
  return record;
}
