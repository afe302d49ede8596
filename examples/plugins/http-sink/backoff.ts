/**
 * When to try a request again: which failures are worth a retry, how long to
 * wait (exponential backoff with jitter, or what the server's Retry-After
 * says) and when to give up. Pure functions: the sink passes the clock's time
 * and a random source, so tests can check every delay.
 */

export interface RetryPolicy {
  retries: number;
  initialDelay: number;
  maxDelay: number;
  maxElapsed: number;
}

/** Statuses a later attempt may get through: timeouts, throttling and server errors. Other 4xx will fail again. */
export const isRetryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): the doubled delay,
 * capped at maxDelay, with "equal jitter": between half of it and all of it, so
 * senders that failed together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.maxDelay, policy.initialDelay * 2 ** (attempt - 1));
  return base / 2 + random() * (base / 2);
}

/** A Retry-After header in ms: delta-seconds or an HTTP date (relative to `now`); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the next attempt, or why there is none: out of attempts, or
 * the wait would end past `maxElapsed` (a Retry-After longer than the budget
 * is not cut short: the sink gives up and the pipeline's own retry takes over).
 */
export function nextWait(policy: RetryPolicy, attempt: number, elapsed: number, retryAfter: number | undefined, random: () => number): { wait: number } | { giveUp: string } {
  if (attempt > policy.retries) return { giveUp: `after ${attempt} attempt${attempt === 1 ? "" : "s"}` };
  const wait = retryAfter ?? backoffDelay(policy, attempt, random);
  if (elapsed + wait > policy.maxElapsed) {
    return { giveUp: retryAfter !== undefined ? `the server asked to retry after ${Math.round(wait)} ms, past the ${policy.maxElapsed} ms budget` : `after ${attempt} attempt${attempt === 1 ? "" : "s"} in ${Math.round(elapsed)} ms` };
  }
  return { wait };
}
