/**
 * The http sink's batching. Records are serialised when written (the sink
 * does not keep the pipeline's objects) and sent in requests of at most
 * `maxRecords` records and `maxBytes` bytes: a full request goes as soon as
 * there is one, the rest on flush. A write either takes its records or throws
 * without taking any, so the pipeline's retry of a failed write sends nothing
 * twice. Calls run one at a time, in order, even when the pipeline gave up
 * waiting for one (a hook timeout) and called the next.
 */
import type { LogRecord, Sink } from "../../../core/mod.ts";
import { recordToJson } from "../../../core/mod.ts";
import type { ResolvedHttpSinkOptions } from "./schema.ts";
import { send, type SendOptions } from "./sender.ts";

const encoder = new TextEncoder();

export function createHttpSink(options: ResolvedHttpSinkOptions, sendOptions: Omit<SendOptions, "url" | "method" | "headers" | "timeout" | "retry">): Sink {
  const contentType = options.format === "json" ? "application/json" : "application/x-ndjson";
  const request: SendOptions = { ...sendOptions, url: options.url, method: options.method, headers: { "content-type": contentType, ...options.headers }, timeout: options.timeout, retry: options.retry };
  const { maxRecords, maxBytes } = options.batch;
  /** Serialised records not sent yet, and their byte sizes. */
  let pending: string[] = [];
  let sizes: number[] = [];
  let closing: Promise<void> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs `op` after every call before it settled: one request at a time, in order. */
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => {});
    return run;
  };

  /** How many of the pending records the next request takes (at least one). */
  function nextCount(): number {
    let bytes = 0;
    let n = 0;
    while (n < pending.length && n < maxRecords && (n === 0 || bytes + sizes[n]! + 1 <= maxBytes)) bytes += sizes[n++]! + 1;
    return n;
  }
  const full = () => pending.length >= maxRecords || sizes.reduce((a, b) => a + b + 1, 0) > maxBytes;

  async function sendNext(): Promise<void> {
    const n = nextCount();
    const lines = pending.slice(0, n);
    await send(options.format === "json" ? `[${lines.join(",")}]` : `${lines.join("\n")}\n`, request);
    pending = pending.slice(n); // Only once sent: a failure leaves them for the next attempt.
    sizes = sizes.slice(n);
  }

  return {
    write(records: readonly LogRecord[]) {
      if (closing) return Promise.reject(new Error("the http sink is closed: write after close"));
      const lines = records.map((r) => JSON.stringify(recordToJson(r)));
      return serial(async () => {
        // Full requests left by an earlier write go first; if they fail, this write takes nothing (and is retried whole).
        while (full()) await sendNext();
        for (const line of lines) {
          pending.push(line);
          sizes.push(encoder.encode(line).length);
        }
        // Now taken: a failure sending what is full is left for the next write or flush to retry.
        try {
          while (full()) await sendNext();
        } catch {
          // Kept in `pending`; the next call sends it first.
        }
      });
    },
    flush() {
      return serial(async () => {
        while (pending.length > 0) await sendNext();
      });
    },
    close() {
      closing ??= serial(async () => {
        while (pending.length > 0) await sendNext();
      });
      return closing;
    },
  };
}
