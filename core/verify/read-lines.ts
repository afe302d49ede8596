/**
 * Reads a file's lines in chunks, never the whole file: memory stays at the chunk
 * size plus the longest line kept (a line past `maxLineBytes` keeps only its start).
 * Plain files are read by position; gzip-compressed ones are decompressed as a stream.
 */
import { createGunzip } from "node:zlib";
import type { FileSystem } from "../runtime.ts";

export interface ReadLinesOptions {
  /** Bytes read per call (default 1 MiB). */
  chunkBytes?: number;
  /** Longest line kept whole (default 16 MiB); a longer one is cut there and flagged. */
  maxLineBytes?: number;
}

/**
 * Called per line, without its newline (and without a `\r` before it). `invalidUtf8` when the
 * line held bytes that are not UTF-8 (they read as U+FFFD); `overlong` when it was cut.
 */
export type OnLine = (line: string, invalidUtf8: boolean, overlong: boolean) => void;

const NEWLINE = 0x0a;
const REPLACEMENT = "\uFFFD";

/** Bytes in, lines out: keeps the unfinished last line until the next chunk (or the end). */
class LineSplitter {
  readonly #onLine: OnLine;
  readonly #maxLineBytes: number;
  readonly #decoder = new TextDecoder("utf-8");
  #held = new Uint8Array(0);
  #heldLength = 0;
  /** In an over-long line, after its kept start: bytes are dropped up to its newline. */
  #skipping = false;

  constructor(onLine: OnLine, maxLineBytes: number) {
    this.#onLine = onLine;
    this.#maxLineBytes = maxLineBytes;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.#skipping) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) return;
      this.#skipping = false;
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      if (this.#heldLength > 0) {
        this.#hold(chunk.subarray(start, nl));
        if (!this.#skipping) this.#emit(this.#held.subarray(0, this.#heldLength), false);
        this.#heldLength = 0;
        this.#skipping = false;
      } else this.#emit(chunk.subarray(start, nl), false);
      start = nl + 1;
    }
    if (start < chunk.length && !this.#skipping) this.#hold(chunk.subarray(start));
  }

  end(): void {
    if (this.#heldLength > 0 && !this.#skipping) this.#emit(this.#held.subarray(0, this.#heldLength), false);
    this.#heldLength = 0;
  }

  /** Keeps bytes of an unfinished line; past the limit, emits its start and skips the rest. */
  #hold(bytes: Uint8Array): void {
    if (this.#skipping) return;
    const room = this.#maxLineBytes - this.#heldLength;
    const kept = bytes.subarray(0, Math.min(room, bytes.length));
    if (this.#heldLength + kept.length > this.#held.length) {
      const bigger = new Uint8Array(Math.min(this.#maxLineBytes, Math.max(this.#held.length * 2, this.#heldLength + kept.length, 4096)));
      bigger.set(this.#held.subarray(0, this.#heldLength));
      this.#held = bigger;
    }
    this.#held.set(kept, this.#heldLength);
    this.#heldLength += kept.length;
    if (bytes.length > room) {
      this.#emit(this.#held.subarray(0, this.#heldLength), true);
      this.#heldLength = 0;
      this.#skipping = true;
    }
  }

  #emit(bytes: Uint8Array, overlong: boolean): void {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const text = this.#decoder.decode(bytes.subarray(0, end));
    this.#onLine(text, text.includes(REPLACEMENT), overlong);
  }
}

/** Whether a file starts with the gzip magic bytes. */
export function isGzipFile(fs: FileSystem, path: string): boolean {
  const file = fs.openRead(path);
  try {
    const head = new Uint8Array(2);
    return file.read(head, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    file.close();
  }
}

/** Reads `path` to its end, calling `onLine` per line (a last line without a newline included). Throws what the file system throws. */
export function readLines(fs: FileSystem, path: string, onLine: OnLine, options: ReadLinesOptions = {}): void {
  const splitter = new LineSplitter(onLine, options.maxLineBytes ?? 16 << 20);
  const buffer = new Uint8Array(options.chunkBytes ?? 1 << 20);
  const file = fs.openRead(path);
  try {
    for (let position = 0; ; ) {
      const n = file.read(buffer, position);
      if (n === 0) break;
      position += n;
      splitter.push(buffer.subarray(0, n));
    }
    splitter.end();
  } finally {
    file.close();
  }
}

/**
 * The lines of a gzip-compressed file (several members one after another included, as
 * `gzip -c a >> b` makes), decompressed as a stream with node:zlib (the same on Bun,
 * Deno and Node; Deno's DecompressionStream stops at the first member). Rejects on a corrupt stream.
 */
export async function readGzipLines(fs: FileSystem, path: string, onLine: OnLine, options: ReadLinesOptions = {}): Promise<void> {
  const splitter = new LineSplitter(onLine, options.maxLineBytes ?? 16 << 20);
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const file = fs.openRead(path);
  const gunzip = createGunzip();
  try {
    // Fed one chunk at a time, waiting while zlib's buffer is full, so memory stays bounded.
    const feed = async () => {
      for (let position = 0; ; ) {
        const buffer = new Uint8Array(chunkBytes);
        const n = file.read(buffer, position);
        if (n === 0) return void gunzip.end();
        position += n;
        if (!gunzip.write(buffer.subarray(0, n))) await new Promise((resolve) => gunzip.once("drain", resolve));
      }
    };
    const feeding = feed().catch((error: unknown) => gunzip.destroy(error instanceof Error ? error : new Error(String(error))));
    for await (const chunk of gunzip) splitter.push(chunk as Uint8Array);
    await feeding;
    splitter.end();
  } finally {
    gunzip.destroy();
    file.close();
  }
}
