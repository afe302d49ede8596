/**
 * A pipeline's dead-letter file: one JSON object per line that no parser
 * understood, with the raw line, its file, byte offset and the reason. The
 * runner writes it in the same flush as the sinks, before acking, so a line
 * is acknowledged only once it is in the dead-letter file too.
 */
import { FileWriter } from "./file-writer.ts";
import type { FileSystem } from "./runtime.ts";
import type { RawLine } from "./types.ts";

export class DeadLetter {
  readonly path: string;
  readonly #fs: FileSystem;
  #pending: string[] = [];
  /** Opened at the first dead line, so a clean run leaves no empty file. */
  #writer: FileWriter | undefined;

  constructor(fs: FileSystem, path: string) {
    this.#fs = fs;
    this.path = path;
  }

  add(line: RawLine, reason: string, time: number, pipeline: string): void {
    const entry: Record<string, unknown> = { timestamp: new Date(time).toISOString(), pipeline, reason, file: line.origin?.file, offset: line.origin?.offset, line: line.text };
    if (line.partial) entry.partial = true;
    if (line.truncated) entry.truncated = true;
    this.#pending.push(JSON.stringify(entry));
  }

  /**
   * Writes what was added; throws (keeping it) when the write fails, so the batch is not acked.
   * The FileWriter keeps what a failed or partial write left, so a retry neither loses nor repeats lines.
   */
  flush(): void {
    if (this.#pending.length > 0) {
      this.#writer ??= new FileWriter(this.#fs, { path: this.path, maxBytes: 0, backups: 0, torn: "truncate" });
      this.#writer.append(this.#pending);
      this.#pending = [];
    }
    this.#writer?.flush();
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.#writer?.close();
      this.#writer = undefined;
    }
  }
}
