/**
 * A batch a worker encoded for one sink: the bytes and how many records they hold. It goes through
 * the sink's buffer (SinkWorker) in place of the records array, and counts as `length` records there.
 */
import { isPromiseLike } from "../_hooks.ts";

export class EncodedRecords {
  /** Calls of `lend` not yet returned or settled. */
  #running = 0;
  #given = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly length: number,
    /** Takes the bytes back once the sink has written them (see lend). */
    readonly written?: () => void,
  ) {}

  /**
   * Lends the bytes to `write` (a sink's writeEncoded). Once a call has returned or resolved and no
   * other is still running, `written` takes them back, once: a call that failed is retried with the
   * same bytes, and one that outlived its hook timeout may still be reading them while its retry runs.
   */
  lend(write: (bytes: Uint8Array, count: number) => unknown): unknown {
    if (!this.written) return write(this.bytes, this.length);
    this.#running++;
    let taken: unknown;
    try {
      taken = write(this.bytes, this.length);
    } catch (cause) {
      this.#running--;
      throw cause;
    }
    if (!isPromiseLike(taken)) return this.#settled(true), taken;
    return Promise.resolve(taken).then(
      () => this.#settled(true),
      (cause: unknown) => {
        this.#settled(false);
        throw cause;
      },
    );
  }

  #settled(ok: boolean): void {
    this.#running--;
    if (ok && this.#running === 0 && !this.#given) {
      this.#given = true;
      this.written!();
    }
  }
}
