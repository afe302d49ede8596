/** Calls into plugin code: stamps failures with the plugin, id and hook, and bounds how long a hook may take. */
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import { setLongTimeout } from "./clock.ts";
import { messageOf, type LogsimError } from "./errors.ts";

export interface HookTarget {
  id: string;
  name: string;
}

class HookTimeout {
  constructor(readonly ms: number) {}
}

/** A promise, or any object with a `then` (a promise of another realm, a thenable): what a hook may return to say it is still running. */
export const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";

export function callHook<T>(target: HookTarget, hook: string, timeoutMs: number, fn: () => T | Promise<T>): ResultAsync<T, LogsimError> {
  const failed = (cause: unknown): LogsimError =>
    cause instanceof HookTimeout
      ? { kind: "plugin.hook-timeout", plugin: target.name, id: target.id, hook, ms: cause.ms }
      : { kind: "plugin.hook-failed", plugin: target.name, id: target.id, hook, message: messageOf(cause), cause };
  let value: T | Promise<T>;
  try {
    value = fn();
  } catch (cause) {
    return errAsync(failed(cause));
  }
  // A hook that returned synchronously is done: no timer (sinks' write and flush run once per batch).
  if (!isPromiseLike(value)) return okAsync(value);
  let cancel = () => {};
  // setLongTimeout: a plain setTimeout overflows past 2^31-1 ms and would time every hook out at once.
  const timeout = new Promise<never>((_, reject) => {
    cancel = setLongTimeout(() => reject(new HookTimeout(timeoutMs)), timeoutMs);
  });
  const run = Promise.race([value, timeout]).finally(() => cancel());
  return ResultAsync.fromPromise(run, failed);
}
