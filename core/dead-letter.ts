/**
 * A pipeline's dead-letter file: one JSON object per line that no parser
 * understood, with the raw line, its file, byte offset and the reason. The
 * runner writes it in the same flush as the sinks, before acking, so a line
 * is acknowledged only once it is in the dead-letter file too.
 */
import { dirname } from "node:path";
import type { AppendFile, FileSystem } from "./runtime.ts";
import type { RawLine } from "./types.ts";

const encoder = new TextEncoder();

export class DeadLetter {
  readonly path: string;
  readonly #fs: FileSystem;
  #lines: string[] = [];
  #file: AppendFile | undefined;

  constructor(fs: FileSystem, path: string) {
    this.#fs = fs;
    this.path = path;
  }

  add(line: RawLine, reason: string, time: number, pipeline: string): void {
    const entry: Record<string, unknown> = { timestamp: new Date(time).toISOString(), pipeline, reason, file: line.origin?.file, offset: line.origin?.offset, line: line.text };
    if (line.partial) entry.partial = true;
    if (line.truncated) entry.truncated = true;
    this.#lines.push(JSON.stringify(entry));
  }

  /** Writes what was added; throws (keeping it) when the write fails, so the batch is not acked. */
  flush(): void {
    if (this.#lines.length === 0) return;
    if (!this.#file) {
      this.#fs.mkdirp(dirname(this.path));
      this.#file = this.#fs.openAppend(this.path);
    }
    this.#file.write(encoder.encode(`${this.#lines.join("\n")}\n`));
    this.#lines = [];
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.#file?.close();
      this.#file = undefined;
    }
  }
}
