/**
 * Notices when a config file's content changes, for `run --watch`. File-system events
 * are hints only (editors save by rename, a Kubernetes ConfigMap swaps a `..data`
 * symlink, network file systems send none): any event in the file's folder schedules a
 * check after `debounceMs`, and a check also runs every `pollMs`. A check reads the file
 * and reports it only when its text differs from the last one seen, so a save that
 * changes nothing, or a burst of events from one save, is one reload or none.
 */
import { basename, dirname } from "node:path";
import type { Clock } from "../../core/clock.ts";
import type { Runtime } from "../../core/runtime.ts";

export interface WatchConfigOptions {
  clock: Clock;
  /** Quiet time after an event before the file is read (default 200 ms): a save is often several events. */
  debounceMs?: number;
  /** Checks this often without events (default 2 s). */
  pollMs?: number;
}

/** Calls `onChange` when the file's text changed; returns the stop. `seen` is the text already loaded. */
export function watchConfig(runtime: Runtime, path: string, seen: string | undefined, onChange: () => void, options: WatchConfigOptions): () => void {
  const { clock, debounceMs = 200, pollMs = 2000 } = options;
  let last = seen;
  const stopped = new AbortController();
  let debounce: AbortController | undefined;

  const check = () => {
    if (stopped.signal.aborted) return;
    const text = runtime.fs.readText(path);
    // A file being replaced may be missing for a moment: wait for it to come back.
    if (text === undefined || text === last) return;
    last = text;
    onChange();
  };
  const hint = () => {
    debounce?.abort();
    const timer = (debounce = new AbortController());
    void clock.sleep(debounceMs, AbortSignal.any([timer.signal, stopped.signal])).then((elapsed) => elapsed && check());
  };
  const unwatch = runtime.fs.watchDir(dirname(path), (name) => {
    // Events for other files are hints too: a symlink swap (`..data`) names the link, not the file.
    if (name === undefined || name === basename(path) || name.startsWith("..")) hint();
  });
  void (async () => {
    while (await clock.sleep(pollMs, stopped.signal)) check();
  })();
  return () => {
    stopped.abort();
    unwatch();
  };
}
