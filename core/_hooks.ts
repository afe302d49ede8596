/** Calls into plugin code: stamps failures with the plugin, id and hook, and bounds how long a hook may take. */
import { ResultAsync } from "neverthrow";
import { messageOf, type LogsimError } from "./errors.ts";

export interface HookTarget {
  id: string;
  name: string;
}

class HookTimeout {
  constructor(readonly ms: number) {}
}

export function callHook<T>(target: HookTarget, hook: string, timeoutMs: number, fn: () => T | Promise<T>): ResultAsync<T, LogsimError> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HookTimeout(timeoutMs)), timeoutMs);
  });
  const run = Promise.race([Promise.resolve().then(fn), timeout]).finally(() => clearTimeout(timer));
  return ResultAsync.fromPromise(run, (cause): LogsimError =>
    cause instanceof HookTimeout
      ? { kind: "plugin.hook-timeout", plugin: target.name, id: target.id, hook, ms: cause.ms }
      : { kind: "plugin.hook-failed", plugin: target.name, id: target.id, hook, message: messageOf(cause), cause },
  );
}
