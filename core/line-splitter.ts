/**
 * Splits a byte stream into lines on the `\n` byte, then decodes each line:
 * offsets stay exact byte counts whatever the encoding (TAILING.md rule 2).
 *
 * A line longer than `maxLineBytes` keeps its first `maxLineBytes` bytes and is
 * emitted, flagged `truncated`, once its newline arrives; the bytes past the
 * limit are skipped, never buffered, so memory stays bounded by the limit and a
 * long line never merges with the next one nor stalls the file.
 */
import { decodeLine, LINE_PARTIAL, LINE_TRUNCATED, type LineBlockBuilder } from "./line-block.ts";

/**
 * A line as LineSplitter emits it, with its exact byte offsets.
 *
 * @example
 * for (const line of out) yield { entries: [{ kind: "line", text: line.text, truncated: line.truncated }] };
 */
export interface SplitLine {
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just past the line's newline (or its last byte, when partial). */
  end: number;
  truncated: boolean;
  partial: boolean;
}

const decode = decodeLine;

/**
 * Splits a byte stream into lines (see the module comment): what a source that reads bytes
 * (a file, a pipe, a socket) uses to make RawLines.
 *
 * @example
 * const splitter = new LineSplitter(0, 64 * 1024);
 * const out: SplitLine[] = [];
 * for await (const chunk of ctx.runtime.readStdin()) splitter.push(chunk, out);
 * splitter.flush(out); // the last line, without its newline
 */
export class LineSplitter {
  readonly #max: number;
  #pending: Uint8Array;
  #pendingLength = 0;
  /** Bytes of the current line skipped past the limit. */
  #skipped = 0;
  /** File offset of the first byte of the current (unfinished) line. */
  #lineStart: number;

  /**
   * @example
   * const s = new LineSplitter(0, 1024); const out: SplitLine[] = [];
   * s.push(new TextEncoder().encode("a\nb"), out); // out: [{ text: "a", offset: 0, end: 2, ... }]; "b" waits
   */
  constructor(position: number, maxLineBytes: number) {
    this.#max = maxLineBytes;
    this.#lineStart = position;
    this.#pending = new Uint8Array(Math.min(maxLineBytes, 4096));
  }

  /** Offset up to which every byte belongs to an emitted line: where a reader can safely resume. */
  get position(): number {
    return this.#lineStart;
  }

  /** Offset of the next byte expected. */
  get next(): number {
    return this.#lineStart + this.#pendingLength + this.#skipped;
  }

  /** Bytes of the unfinished line held or skipped so far. */
  get pendingBytes(): number {
    return this.#pendingLength + this.#skipped;
  }

  /** Feeds the bytes that follow `next`; appends every completed line to `out`. */
  push(chunk: Uint8Array, out: SplitLine[]): void {
    const base = this.next;
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) {
        this.#hold(chunk.subarray(i));
        return;
      }
      const end = base + nl + 1;
      if (this.#pendingLength === 0 && this.#skipped === 0 && nl - i <= this.#max) {
        out.push({ text: decode(chunk.subarray(i, nl)), offset: this.#lineStart, end, truncated: false, partial: false });
      } else {
        this.#hold(chunk.subarray(i, nl));
        out.push(this.#take(end, false));
      }
      this.#lineStart = end;
      i = nl + 1;
    }
  }

  /**
   * As push, but the completed lines go to `block` as bytes, undecoded (see line-block.ts): the
   * same lines, offsets, truncation and held bytes as push would give, without a string or an
   * object per line. Stops after `maxLines` lines: returns the bytes of `chunk` it took, and the
   * rest is for a later push (from `next`).
   */
  pushBlock(chunk: Uint8Array, block: LineBlockBuilder, maxLines = Infinity): number {
    const base = this.next;
    block.beginChunk(chunk);
    let i = 0;
    for (let lines = 0; i < chunk.length && lines < maxLines; lines++) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) {
        this.#hold(chunk.subarray(i));
        return chunk.length;
      }
      const end = base + nl + 1;
      if (this.#pendingLength === 0 && this.#skipped === 0 && nl - i <= this.#max) {
        block.lineInChunk(i, nl, this.#lineStart);
      } else {
        this.#hold(chunk.subarray(i, nl));
        this.#takeInto(block, false);
      }
      this.#lineStart = end;
      i = nl + 1;
    }
    return i;
  }

  /** As flush, into a block. */
  flushBlock(block: LineBlockBuilder): void {
    if (this.pendingBytes === 0) return;
    const end = this.next;
    this.#takeInto(block, true);
    this.#lineStart = end;
  }

  /** Emits the unfinished line, if any, flagged partial (its file was rotated away or closed). */
  flush(out: SplitLine[]): void {
    if (this.pendingBytes === 0) return;
    const end = this.next;
    out.push(this.#take(end, true));
    this.#lineStart = end;
  }

  /** The unfinished line, flagged partial, without consuming it (batch mode reads it but resumes before it). */
  peek(): SplitLine | undefined {
    if (this.pendingBytes === 0) return undefined;
    return { text: decode(this.#pending.subarray(0, this.#pendingLength)), offset: this.#lineStart, end: this.next, truncated: this.#skipped > 0, partial: true };
  }

  /** Forgets the unfinished line and restarts at `position` (after a truncation). */
  reset(position: number): void {
    this.#pendingLength = 0;
    this.#skipped = 0;
    this.#lineStart = position;
  }

  #take(end: number, partial: boolean): SplitLine {
    const line = { text: decode(this.#pending.subarray(0, this.#pendingLength)), offset: this.#lineStart, end, truncated: this.#skipped > 0, partial };
    this.#pendingLength = 0;
    this.#skipped = 0;
    // Give back memory a long line took.
    if (this.#pending.length > 65536) this.#pending = new Uint8Array(4096);
    return line;
  }

  #takeInto(block: LineBlockBuilder, partial: boolean): void {
    block.lineApart(this.#pending.subarray(0, this.#pendingLength), this.#lineStart, (this.#skipped > 0 ? LINE_TRUNCATED : 0) | (partial ? LINE_PARTIAL : 0));
    this.#pendingLength = 0;
    this.#skipped = 0;
    if (this.#pending.length > 65536) this.#pending = new Uint8Array(4096);
  }

  #hold(bytes: Uint8Array): void {
    const room = this.#max - this.#pendingLength;
    const take = Math.min(room, bytes.length);
    if (take > 0) {
      const need = this.#pendingLength + take;
      if (need > this.#pending.length) {
        let size = this.#pending.length * 2;
        while (size < need) size *= 2;
        const grown = new Uint8Array(Math.min(size, this.#max));
        grown.set(this.#pending.subarray(0, this.#pendingLength));
        this.#pending = grown;
      }
      this.#pending.set(bytes.subarray(0, take), this.#pendingLength);
      this.#pendingLength += take;
    }
    this.#skipped += bytes.length - take;
  }
}
