/**
 * Sends one request body, with retries: the request's timeout and the
 * backoff both run on the plugin's clock (so tests advance a fake one), and
 * stopping the plugin (ctx.signal) ends a wait at once.
 */
import type { Clock } from "../../../core/mod.ts";
import { isRetryableStatus, nextWait, retryAfterMs, type RetryPolicy } from "./backoff.ts";

export interface SendOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  timeout: number;
  retry: RetryPolicy;
  clock: Clock;
  signal: AbortSignal;
  random?: () => number;
  /** Told once per failed attempt that will be retried. */
  onRetry?: (problem: string, attempt: number, wait: number) => void;
  fetch?: typeof fetch;
}

/** A failure a retry cannot fix (a 400, a 401...), or the last one once retries gave up. */
export class SendError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = "SendError";
  }
}

/** The URL without credentials or query (which may hold an API key), for messages. */
export const safeUrl = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};

type Attempt = { ok: true } | { ok: false; problem: string; retryable: boolean; retryAfter?: number };

async function attempt(body: string, o: SendOptions): Promise<Attempt> {
  const controller = new AbortController();
  const onStop = () => controller.abort(o.signal.reason);
  o.signal.addEventListener("abort", onStop, { once: true });
  // The timeout on the plugin's clock: a sleep that aborts the request unless the request ends first.
  const timer = new AbortController();
  let timedOut = false;
  void o.clock.sleep(o.timeout, timer.signal).then((elapsed) => {
    if (elapsed) (timedOut = true), controller.abort();
  });
  try {
    const response = await (o.fetch ?? fetch)(o.url, { method: o.method, headers: o.headers, body, signal: controller.signal });
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true };
    }
    const text = (await response.text().catch(() => "")).slice(0, 200);
    const retryAfter = retryAfterMs(response.headers.get("retry-after"), o.clock.now());
    return { ok: false, problem: `${response.status} ${response.statusText}${text ? `: ${text}` : ""}`, retryable: isRetryableStatus(response.status), ...(retryAfter !== undefined ? { retryAfter } : {}) };
  } catch (error) {
    if (o.signal.aborted) return { ok: false, problem: "stopped", retryable: false };
    return { ok: false, problem: timedOut ? `no response in ${o.timeout} ms` : `request failed: ${(error as Error).message}`, retryable: true };
  } finally {
    timer.abort();
    o.signal.removeEventListener("abort", onStop);
  }
}

/** Sends `body`, retrying what may work later; throws a SendError when it gives up. */
export async function send(body: string, o: SendOptions): Promise<void> {
  const started = o.clock.monotonic();
  for (let n = 1; ; n++) {
    const result = await attempt(body, o);
    if (result.ok) return;
    const where = `${o.method} ${safeUrl(o.url)}`;
    if (!result.retryable) throw new SendError(`${where}: ${result.problem}`, false);
    const next = nextWait(o.retry, n, o.clock.monotonic() - started, result.retryAfter, o.random ?? Math.random);
    if ("giveUp" in next) throw new SendError(`${where}: ${result.problem} (gave up ${next.giveUp})`, true);
    o.onRetry?.(result.problem, n, next.wait);
    if (!(await o.clock.sleep(next.wait, o.signal))) throw new SendError(`${where}: stopped while waiting to retry (${result.problem})`, true);
  }
}
