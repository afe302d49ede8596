/**
 * The tail source's sleep between reads, cut short by file-system hints (TAILING.md rule 6: hints,
 * never the only trigger). A hint that may mean a new, renamed or removed file asks for a scan;
 * one naming a file being followed asks only for a read. A hint already seen is no reason to
 * return at once: returning at once made every event spin the loop without yielding, at 100% of
 * a core, and starved the signal handlers (SIGTERM took 20 s after a burst).
 */
import type { Clock } from "../../core/mod.ts";

/** Least time between a hint and the scan or read it wakes, and between two scans for hints. */
export const HINT_GAP_MS = 20;

export class Waker {
  /** A hint asked for a scan since the last one. */
  scan = false;
  #wake: ((kind: "scan" | "read") => void) | undefined;

  /** Called by the directory watchers: `kind` "read" when the name is that of a file being followed. */
  hint(kind: "scan" | "read"): void {
    if (kind === "scan") this.scan = true;
    this.#wake?.(kind);
  }

  /**
   * Sleeps `ms`, or until HINT_GAP_MS after a hint that came meanwhile: any hint, or only one asking
   * for a scan when `only` is "scan" (a read is not due yet).
   */
  async wait(ms: number, clock: Clock, signal: AbortSignal, only?: "scan"): Promise<void> {
    if (signal.aborted) return;
    const timer = new AbortController();
    const stop = () => timer.abort();
    signal.addEventListener("abort", stop, { once: true });
    const sleep = clock.sleep(Math.max(1, ms), timer.signal);
    const hinted = new Promise<void>((resolve) => {
      this.#wake = (kind) => {
        if (only && kind !== only) return;
        this.#wake = undefined;
        resolve();
      };
    }).then(() => clock.sleep(HINT_GAP_MS, timer.signal));
    await Promise.race([sleep, hinted]);
    this.#wake = undefined;
    timer.abort();
    signal.removeEventListener("abort", stop);
  }
}
