/** Test helpers for the web plugin: a Hono app over a fake app view and a real bus. */
import { createBus, type Bus } from "../../core/bus.ts";
import { systemClock } from "../../core/clock.ts";
import { createCounters } from "../../core/metrics.ts";
import type { AppView, PipelineView } from "../../core/plugin.ts";
import type { Runtime } from "../../core/runtime.ts";
import type { LogRecord } from "../../core/types.ts";
import { loadAssets } from "./assets.ts";
import { createWebApp, type WebApp } from "./app.ts";
import { webSchema, type WebOptions } from "./schema.ts";
import { Telemetry } from "./telemetry.ts";

export interface Harness extends WebApp {
  bus: Bus;
  telemetry: Telemetry;
  pipelines: Array<{ -readonly [K in keyof PipelineView]: PipelineView[K] }>;
  /** Emits records as if pipeline `pipeline` had processed them. */
  push(records: LogRecord[], pipeline?: string): void;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): void;
}

/** `now` is the telemetry's wall clock (default Date.now): a test that checks rates moves it itself. */
export function harness(runtime: Runtime, input: Partial<Record<keyof WebOptions, unknown>> = {}, config: unknown = { secret: "[redacted]" }, now: () => number = Date.now): Harness {
  const options = webSchema.parse(input);
  const bus = createBus();
  const pipelines: Harness["pipelines"] = [
    {
      name: "main",
      state: "running",
      plugins: [
        { id: "pipelines.main.sources[0]", name: "generator", kind: "source", counters: createCounters() },
        { id: "pipelines.main.sinks[0]", name: "jsonl", kind: "sink", counters: createCounters() },
      ],
    },
  ];
  const view: AppView = { pipelines: () => pipelines, config: () => config, outputs: () => [] };
  const telemetry = new Telemetry(bus, view, { buffer: options.buffer, historyPoints: options.historyPoints, now });
  const abort = new AbortController();
  const assets = loadAssets(runtime.fs)._unsafeUnwrap();
  const web = createWebApp({ options, app: view, telemetry, assets, clock: systemClock, signal: abort.signal, tickMs: 20, pingMs: 200 });
  return {
    ...web,
    bus,
    telemetry,
    pipelines,
    push: (records, pipeline = "main") => bus.emit("records:processed", { pipeline, records }),
    request: (path, init) => Promise.resolve(web.hono.request(path, withHost(path, init))),
    close: () => {
      abort.abort();
      telemetry.close();
    },
  };
}

/** Adds the Host header a real client sends (Hono's request() does not), from the URL or "localhost". */
function withHost(path: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", new URL(path, "http://localhost").host);
  return { ...init, headers };
}

export const rec = (message: string, extra: Partial<LogRecord> = {}): LogRecord => ({ time: Date.UTC(2024, 0, 1), level: "INFO", message, ...extra });

export type SseEvent = { event: string; data: string; id?: string };

/**
 * Reads SSE frames from a response body as they come: `until` waits (up to a
 * deadline) for a condition on every event read so far, so a test can wait
 * for `hello` before it pushes instead of sleeping; `close` cancels the body.
 */
export function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let text = "";
  let ended = false;
  let timedOut = false;

  function parseFrames(): void {
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      const event: SseEvent = { event: "message", data: "" };
      for (const line of frame.split("\n")) {
        const colon = line.indexOf(":");
        if (colon === 0) continue;
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event.event = value;
        else if (field === "data") event.data += (event.data ? "\n" : "") + value;
        else if (field === "id") event.id = value;
      }
      if (frame.split("\n").some((l) => l.startsWith("data") || l.startsWith("event"))) events.push(event);
    }
  }

  return {
    events,
    /** Whether the server ended the stream (not a deadline). */
    get ended() {
      return ended;
    },
    /** Reads until `done(events)` holds, the stream ends or `ms` pass; returns every event read so far. */
    async until(done: (events: SseEvent[]) => boolean, ms = 5000): Promise<SseEvent[]> {
      const deadline = Date.now() + ms;
      while (!ended && !timedOut && Date.now() < deadline && !done(events)) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), Math.max(1, deadline - Date.now()))));
        const chunk = await Promise.race([reader.read(), timeout]);
        clearTimeout(timer);
        // A timed-out read() is still pending: the next until() would lose its chunk, so a timeout ends reading.
        if (chunk === "timeout") timedOut = true;
        else if (chunk.done) ended = true;
        else {
          text += decoder.decode(chunk.value, { stream: true });
          parseFrames();
        }
      }
      return events;
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

/** Reads SSE frames from a response body until `done` says so, or `ms` pass. */
export async function readEvents(body: ReadableStream<Uint8Array>, done: (events: SseEvent[]) => boolean, ms = 5000): Promise<SseEvent[]> {
  const events = eventReader(body);
  try {
    return await events.until(done, ms);
  } finally {
    await events.close();
  }
}

/** Polls `condition` until it holds; fails after `ms` with what it waited for. */
export async function waitFor(condition: () => boolean, what = "condition", ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
