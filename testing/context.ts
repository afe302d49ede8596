/**
 * A plugin context for tests: the runtime running the test, a fake clock, a bus
 * that records every event, fresh counters, an abort controller, and the
 * plugin's log lines kept instead of printed.
 */
import { createBus } from "../core/bus.ts";
import { createCounters } from "../core/metrics.ts";
import type { AppView, Bus, Clock, Counters, LogsimEvents, PluginContext, Runtime, Writer } from "../core/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { createFakeClock, type FakeClock } from "./fake-clock.ts";

export interface RecordedEvent {
  name: keyof LogsimEvents;
  payload: unknown;
}

export interface TestContext {
  readonly ctx: PluginContext;
  readonly clock: FakeClock | Clock;
  readonly counters: Counters;
  /** Every event the plugin emitted, in order. */
  readonly events: RecordedEvent[];
  /** Log lines, as `warn: text` / `info: text`. */
  readonly logs: string[];
  /** What the plugin wrote to the runtime's stdout and stderr (kept, not printed, unless `output: "inherit"`). */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Aborts `ctx.signal`: what the runner does to stop a plugin. */
  abort(): void;
  /** The events named `name`, their payloads typed. */
  eventsNamed<K extends keyof LogsimEvents>(name: K): LogsimEvents[K][];
}

export interface TestContextOptions {
  /** Instance id (default "test"). */
  id?: string;
  /** Pipeline name (default "test"). */
  pipeline?: string;
  /** Default: a fresh fake clock. Pass `systemClock` for real time. */
  clock?: FakeClock | Clock;
  /** Default: the runtime running the test. */
  runtime?: Runtime;
  /** What a service sees of the app (default: no pipelines). */
  app?: AppView;
  /** "capture" (default) keeps what the plugin writes to stdout/stderr for `stdout()`/`stderr()`; "inherit" prints it. */
  output?: "capture" | "inherit";
  /** The plugin's stop signal (default: the context's own, aborted by `abort()`). */
  signal?: AbortSignal;
}

/** A Writer that keeps what it is given. */
function memoryWriter(): Writer & { text: () => string } {
  const decoder = new TextDecoder();
  let text = "";
  return {
    isTTY: false,
    write: async (chunk) => void (text += typeof chunk === "string" ? chunk : decoder.decode(chunk)),
    flush: async () => {},
    text: () => text,
  };
}

/**
 * @example
 * const t = await createTestContext();
 * const source = await instantiate(heartbeat({ interval: "1s" }), t);
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  return makeTestContext({ ...options, runtime: options.runtime ?? (await detectRuntime()) });
}

/**
 * `createTestContext` without the wait, for a given runtime (a stub is fine for a plugin that uses none of it).
 *
 * @example
 * const { ctx } = makeTestContext({ runtime: stubRuntime, clock: createFakeClock() });
 */
export function makeTestContext(options: TestContextOptions & { runtime: Runtime }): TestContext {
  const base = options.runtime;
  const stdout = memoryWriter();
  const stderr = memoryWriter();
  const runtime: Runtime = options.output === "inherit" ? base : Object.assign(Object.create(null), base, { stdout, stderr });
  const clock = options.clock ?? createFakeClock();
  const events: RecordedEvent[] = [];
  const logs: string[] = [];
  const inner = createBus((error, event) => logs.push(`warn: listener of ${String(event)} threw: ${String(error)}`));
  const bus: Bus = {
    on: inner.on,
    has: () => true, // A test wants every event, including those built only for listeners.
    emit(name, payload) {
      events.push({ name, payload });
      inner.emit(name, payload);
    },
  };
  const abort = new AbortController();
  const counters = createCounters();
  const id = options.id ?? "test";
  const app: AppView = options.app ?? { pipelines: () => [], config: () => ({}), outputs: () => [], durable: () => false };
  const ctx: PluginContext = {
    id,
    pipeline: options.pipeline ?? "test",
    bus,
    runtime,
    clock,
    signal: options.signal ?? abort.signal,
    counters,
    app,
    log: { info: (text) => void logs.push(`info: ${text}`), warn: (text) => void logs.push(`warn: ${text}`) },
  };
  return {
    ctx,
    clock,
    counters,
    events,
    logs,
    stdout: stdout.text,
    stderr: stderr.text,
    abort: () => abort.abort(),
    eventsNamed: <K extends keyof LogsimEvents>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as LogsimEvents[K]),
  };
}
