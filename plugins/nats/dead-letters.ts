/**
 * The nats sink's dead-letter file: records the server will never take (larger than its max
 * payload, or refused), one JSON object per line with the reason. Written before the flush
 * resolves, so a record is acknowledged only once it is either in JetStream or in this file.
 */
import { FileWriter, type FileSystem } from "../../core/mod.ts";

export class DeadLetters {
  count = 0;
  readonly #fs: FileSystem;
  readonly #path: string;
  #pending: string[] = [];
  /** Opened at the first dead record: a clean run leaves no file. */
  #writer: FileWriter | undefined;

  constructor(fs: FileSystem, path: string) {
    this.#fs = fs;
    this.#path = path;
  }

  add(entry: { time: number; pipeline: string; plugin: string; reason: string; subject: string; id?: string; bytes: number; record: string }): void {
    this.count++;
    const { time, record, ...rest } = entry;
    this.#pending.push(`{"timestamp":${JSON.stringify(new Date(time).toISOString())},${JSON.stringify(rest).slice(1, -1)},"record":${record}}`);
  }

  flush(): void {
    if (this.#pending.length > 0) {
      this.#writer ??= new FileWriter(this.#fs, { path: this.#path, maxBytes: 0, backups: 0, torn: "truncate" });
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
