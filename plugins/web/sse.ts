/**
 * Server-Sent Events of tapped records. The stream is pulled: a batch is made
 * only when the client has taken the previous one, so a slow client costs a
 * cursor, not a queue. Records it was too slow for are overwritten in the
 * ring and counted (`lost`); when more match than `maxPerSecond`, the newest
 * are sent and the rest counted as `skipped` (sampling the page shows).
 */
import { recordToJson, type Clock } from "../../core/mod.ts";
import type { RecordFilter } from "./filter.ts";
import type { TapEntry } from "./ring.ts";
import type { Telemetry } from "./telemetry.ts";

const encoder = new TextEncoder();

/**
 * One SSE event. Its data is JSON (no raw newline can end the frame early)
 * with U+2028/U+2029 escaped too, so nothing in a log line can forge a frame.
 */
export function sseEvent(event: string, data: unknown, id?: number): string {
  const json = JSON.stringify(data).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${json}\n\n`;
}

/** The JSON shape of a tapped record, as /api/logs and the stream send it. */
export const entryToJson = (e: TapEntry) => ({ seq: e.seq, pipeline: e.pipeline, record: recordToJson(e.record) });

export interface StreamOptions {
  telemetry: Telemetry;
  filter: RecordFilter;
  clock: Clock;
  /** First sequence number to send (default: only records tapped from now on). */
  from?: number;
  maxPerSecond: number;
  tickMs?: number;
  pingMs?: number;
  /** Aborted when the server stops or the client goes away. */
  signal: AbortSignal;
  onClose(): void;
}

/** An open stream, as the idle sweeper sees it. */
export interface OpenStream {
  /** Monotonic time the client last took data. */
  readonly lastPull: number;
  close(): void;
}

export function recordStream(options: StreamOptions): { body: ReadableStream<Uint8Array>; stream: OpenStream } {
  const { telemetry, filter, clock, signal } = options;
  const tickMs = options.tickMs ?? 250;
  const pingMs = options.pingMs ?? 10_000;
  const perTick = Math.max(1, Math.round((options.maxPerSecond * tickMs) / 1000));
  let cursor = options.from ?? telemetry.ring.total + 1;
  let lastSent = clock.monotonic();
  let nextAt = 0;
  let closed = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { lastPull: clock.monotonic(), close };

  function close(): void {
    if (closed) return;
    closed = true;
    options.onClose();
    try {
      controller.close();
    } catch {
      // Already closed or errored by the client going away.
    }
  }
  signal.addEventListener("abort", close, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        c.enqueue(encoder.encode(`retry: 2000\n\n${sseEvent("hello", { maxPerSecond: options.maxPerSecond, tickMs })}`));
      },
      async pull(c) {
        // One batch per tick at most: that, with `perTick`, is what caps the rate.
        for (;;) {
          state.lastPull = clock.monotonic();
          if (closed) return;
          const wait = nextAt - clock.monotonic();
          if (wait > 0 && !(await clock.sleep(wait, signal))) return;
          nextAt = clock.monotonic() + tickMs;
          const read = telemetry.ring.read(cursor, filter, perTick, true);
          cursor = read.next;
          if (read.lost > 0) telemetry.tapDropped += read.lost;
          if (read.entries.length > 0 || read.lost > 0) {
            lastSent = clock.monotonic();
            c.enqueue(encoder.encode(sseEvent("records", { records: read.entries.map(entryToJson), skipped: read.skipped, lost: read.lost }, cursor - 1)));
            return;
          }
          if (clock.monotonic() - lastSent >= pingMs) {
            lastSent = clock.monotonic();
            c.enqueue(encoder.encode(": ping\n\n"));
            return;
          }
        }
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 1 },
  );
  return { body, stream: state };
}
