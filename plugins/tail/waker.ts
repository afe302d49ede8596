/**
 * The tail source's sleep between reads, cut short by file-system hints (TAILING.md rule 6: hints,
 * never the only trigger). A hint that may mean a new, renamed or removed file asks for a scan;
 * one naming a file being followed asks only for a read. A hint already seen is no reason to
 * return at once: returning at once made every event spin the loop without yielding, at 100% of
 * a core, and starved the signal handlers (SIGTERM took 20 s after a burst). Only a hint that
 * comes during the wait ends it: a read hint at once (a line that arrives in a quiet moment is
 * read within the event loop's turn, not after a fixed delay), a scan hint HINT_GAP_MS later (a
 * rotation's renames settle, and a burst of them makes one scan).
 */
import type { Clock } from "../../core/mod.ts";

/** Least time between a hint and the scan it wakes, and between two scans for hints. */
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
   * The idle sleep, kept across waits: a wait ended by a hint leaves it running, and the next wait
   * that may end as late reuses it. A timer and an AbortController made and cancelled per wait,
   * once per line at 50 lines/s, were most of a follower's CPU on Node (abort() dispatches events).
   */
  #sleep: { until: number; done: Promise<unknown>; ended: boolean } | undefined;
  /** Ends the sleeps: aborted with the source's signal, or by dispose(). */
  readonly #cancel = new AbortController();
  #listening = false;

  /** Ends a sleep still running (the source has ended: its timer must not hold the process). */
  dispose(): void {
    this.#cancel.abort("the source ended");
  }

  /**
   * Sleeps `ms` (or a little less, when a sleep from an earlier wait ends first), or until a read hint
   * that came meanwhile (unless `reads` is false: a read is not due yet), or HINT_GAP_MS after a scan hint.
   */
  async wait(ms: number, clock: Clock, signal: AbortSignal, reads = true): Promise<void> {
    if (signal.aborted || this.#cancel.signal.aborted) return;
    if (!this.#listening) {
      this.#listening = true;
      signal.addEventListener("abort", () => this.dispose(), { once: true });
    }
    const cancel = this.#cancel.signal;
    const now = clock.monotonic();
    const until = now + Math.max(1, ms);
    let sleep = this.#sleep;
    if (!sleep || sleep.ended || sleep.until > until) {
      const made = { until, ended: false, done: clock.sleep(until - now, cancel) };
      void made.done.then(() => (made.ended = true));
      sleep = this.#sleep = made;
    }
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let gap = false;
    this.#wake = (kind) => {
      if (kind === "read") {
        if (reads) wake(); // Also during a scan hint's gap.
      } else if (!gap) {
        gap = true;
        void clock.sleep(HINT_GAP_MS, cancel).then(wake);
      }
    };
    await Promise.race([sleep.done, woken]);
    this.#wake = undefined;
  }
}
