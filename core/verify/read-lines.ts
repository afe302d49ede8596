/**
 * Reads a file's lines in chunks, never the whole file: memory stays at the chunk
 * size plus the longest line kept (a line past `maxLineBytes` keeps only its start).
 */
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

/** Reads `path` to its end, calling `onLine` per line (a last line without a newline included). Throws what the file system throws. */
export function readLines(fs: FileSystem, path: string, onLine: OnLine, options: ReadLinesOptions = {}): void {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxLineBytes = options.maxLineBytes ?? 16 << 20;
  const decoder = new TextDecoder("utf-8");
  const file = fs.openRead(path);
  try {
    let buffer = new Uint8Array(chunkBytes);
    let held = 0; // Bytes at the buffer's start: the unfinished line from the last read.
    let position = 0;
    let skipping = false; // In an over-long line, after its kept start: drop bytes to its newline.
    const emit = (bytes: Uint8Array, overlong: boolean) => {
      let end = bytes.length;
      if (end > 0 && bytes[end - 1] === 0x0d) end--;
      const text = decoder.decode(bytes.subarray(0, end));
      onLine(text, text.includes(REPLACEMENT), overlong);
    };
    for (;;) {
      if (held === buffer.length) {
        // A line longer than the buffer: grow it up to the limit, then keep only the start.
        if (buffer.length >= maxLineBytes) {
          emit(buffer.subarray(0, held), true);
          held = 0;
          skipping = true;
        } else {
          const bigger = new Uint8Array(Math.min(maxLineBytes, buffer.length * 2));
          bigger.set(buffer);
          buffer = bigger;
        }
      }
      const n = file.read(buffer.subarray(held), position);
      if (n === 0) break;
      position += n;
      const end = held + n;
      let start = 0;
      if (skipping) {
        const nl = buffer.indexOf(NEWLINE, held);
        if (nl < 0 || nl >= end) {
          held = 0;
          continue;
        }
        skipping = false;
        start = nl + 1;
      }
      for (let nl = buffer.indexOf(NEWLINE, start); nl >= 0 && nl < end; nl = buffer.indexOf(NEWLINE, start)) {
        emit(buffer.subarray(start, nl), false);
        start = nl + 1;
      }
      buffer.copyWithin(0, start, end);
      held = end - start;
    }
    if (held > 0 && !skipping) emit(buffer.subarray(0, held), false);
  } finally {
    file.close();
  }
}
