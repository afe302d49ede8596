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

export function harness(runtime: Runtime, input: Partial<Record<keyof WebOptions, unknown>> = {}, config: unknown = { secret: "[redacted]" }): Harness {
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
  const telemetry = new Telemetry(bus, view, { buffer: options.buffer, historyPoints: options.historyPoints, now: Date.now });
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

/** Reads SSE frames from a response body until `done` says so, or `ms` pass. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  done: (events: Array<{ event: string; data: string; id?: string }>) => boolean,
  ms = 5000,
): Promise<Array<{ event: string; data: string; id?: string }>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: string; id?: string }> = [];
  let text = "";
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline && !done(events)) {
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), Math.max(1, deadline - Date.now())));
      const chunk = await Promise.race([reader.read(), timeout]);
      if (chunk === "timeout" || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        const event: { event: string; data: string; id?: string } = { event: "message", data: "" };
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
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}
