/**
 * A growable byte buffer that strings are encoded into in place
 * (TextEncoder.encodeInto), so batching lines costs no per-line allocation.
 */
const encoder = new TextEncoder();

export class ByteBuffer {
  #bytes: Uint8Array;
  length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.#bytes = new Uint8Array(initialCapacity);
  }

  /** Appends the UTF-8 bytes of `text`; returns how many bytes were added. */
  append(text: string): number {
    // Worst case is 3 bytes per UTF-16 unit; check before encoding so one call suffices.
    if (this.#bytes.length - this.length < text.length * 3) this.#grow(this.length + text.length * 3);
    const { written } = encoder.encodeInto(text, this.#bytes.subarray(this.length));
    this.length += written;
    return written;
  }

  /** Appends the UTF-8 bytes of `text` and a newline; returns how many bytes were added. */
  appendLine(text: string): number {
    if (this.#bytes.length - this.length <= text.length * 3) this.#grow(this.length + text.length * 3 + 1);
    const { written } = encoder.encodeInto(text, this.#bytes.subarray(this.length));
    this.#bytes[this.length + written] = 10;
    this.length += written + 1;
    return written + 1;
  }

  appendBytes(bytes: Uint8Array): void {
    if (this.#bytes.length - this.length < bytes.length) this.#grow(this.length + bytes.length);
    this.#bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A view of bytes [start, end); valid until the next append or clear. */
  view(start = 0, end = this.length): Uint8Array {
    return this.#bytes.subarray(start, end);
  }

  /** Drops the first `count` bytes, keeping the rest. */
  consume(count: number): void {
    if (count >= this.length) {
      this.length = 0;
      return;
    }
    this.#bytes.copyWithin(0, count, this.length);
    this.length -= count;
  }

  clear(): void {
    this.length = 0;
  }

  #grow(min: number): void {
    let size = this.#bytes.length * 2;
    while (size < min) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#bytes.subarray(0, this.length));
    this.#bytes = next;
  }
}
