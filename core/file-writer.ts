/**
 * Appends lines to a file in batches, rotating it the way Python's
 * RotatingFileHandler does:
 * - before a line that would make the file exceed `maxBytes`, rotate
 *   (`f.N-1` -> `f.N`, ..., `f` -> `f.1`; the oldest beyond `backups` is replaced);
 *   only backups that exist are renamed, found by listing the folder, so a
 *   rotation costs the same with `backups: 3` or `backups: 10000`;
 * - a line is never split across files, and only a file holding one line
 *   longer than `maxBytes` ever exceeds it;
 * - `maxBytes: 0` or `backups: 0` means the file never rotates;
 * - a restart continues the existing file and counts its size.
 * A format header (CSV) starts every new file.
 *
 * A torn last line (the process was killed, or the disk filled, in the middle
 * of a write) never gets the next line glued to it. `torn` says how:
 * - "terminate" (default): the file only ever grows. On open, a last line
 *   without its newline is ended with one (it stays, as one malformed line);
 *   after a write that failed part way, the rest of the line stays buffered and
 *   the retry completes it. For files others follow: a reader that sees a file
 *   shrink takes it for truncated and starts over.
 * - "truncate": the file holds whole lines only. On open, a last line without
 *   its newline is cut away; a write that failed part way is cut back to the
 *   last whole line it wrote, and the rest stays buffered. For outputs whose
 *   lines are acknowledged only once flushed (jsonl, the dead-letter file): a
 *   torn line was never acknowledged, so its source sends it again.
 *
 * Rotation is decided when lines are appended (against the size the file
 * will have) and carried out when the buffer is written: the buffer holds
 * "cut" offsets where a rotation goes. So a failed write or rename leaves a
 * consistent state that the next flush resumes, and `append` never throws
 * after taking lines (the Sink contract: a throw means "not accepted").
 */
import { basename, dirname } from "node:path";
import type { AppendFile, FileSystem } from "./runtime.ts";
import { ByteBuffer } from "./byte-buffer.ts";

/**
 * Where and how a FileWriter writes.
 *
 * @example
 * const options: FileWriterOptions = { path: "logs/app.log", maxBytes: 10 * 1024 ** 2, backups: 5, fsync: false };
 */
export interface FileWriterOptions {
  path: string;
  /** Rotate before a line would make the file exceed this; 0 never rotates. */
  maxBytes: number;
  /** Rotated files kept (`path.1` ... `path.N`); 0 never rotates. */
  backups: number;
  /** Written at the top of every new file (a CSV header row). */
  header?: string;
  /** fsync on every flush. */
  fsync?: boolean;
  /** Buffered bytes that trigger a write before flush (default 256 KiB). */
  highWater?: number;
  /** After each rotation, with the number of lines this writer put in the file just rotated away. */
  onRotated?: (path: string, lines: number) => void;
  /** What happens to a torn last line (see above); default "terminate". */
  torn?: TornLine;
}

/**
 * What a FileWriter does with a torn last line (see the module comment).
 *
 * @example
 * new FileWriter(ctx.runtime.fs, { path, maxBytes: 0, backups: 0, torn: "truncate" satisfies TornLine });
 */
export type TornLine = "terminate" | "truncate";

/** Most bytes one joined run of lines may take (see append). */
const RUN_BYTES = 192 * 1024;

/**
 * Appends lines to a file in batches, rotating it by size (see the module comment): the writer
 * behind the rotating-file and jsonl sinks. Synchronous; `append` buffers, `flush` writes.
 *
 * @example
 * const writer = new FileWriter(ctx.runtime.fs, { path: options.path, maxBytes: 0, backups: 0, torn: "truncate" });
 * const line = jsonLineFormatter();
 * const sink: Sink = {
 *   write: (records) => writer.append(records.map(line)),
 *   flush: () => writer.flush(),
 *   close: () => writer.close(),
 * };
 */
export class FileWriter {
  readonly #fs: FileSystem;
  readonly #o: FileWriterOptions;
  readonly #buffer = new ByteBuffer();
  readonly #rotates: boolean;
  readonly #highWater: number;
  #file: AppendFile | undefined;
  /** Bytes in the file currently being filled that are on disk (written, not buffered). */
  #onDisk = 0;
  /** Size of the file currently being filled, counting buffered bytes after the last cut. */
  #size = 0;
  /** Header bytes at the top of that file. */
  #headerBytes = 0;
  /** Buffer offsets where a rotation must happen before the bytes that follow. */
  #cuts: number[] = [];
  /** Lines this writer put in the file each cut ends (parallel to #cuts). */
  #cutLines: number[] = [];
  /** Lines appended to the file being filled, after the last cut. */
  #lines = 0;
  #failed = false;
  #closed = false;

  constructor(fs: FileSystem, options: FileWriterOptions) {
    this.#fs = fs;
    this.#o = options;
    this.#rotates = options.maxBytes > 0 && options.backups > 0;
    this.#highWater = options.highWater ?? 256 * 1024;
    fs.mkdirp(dirname(options.path));
    this.#file = fs.openAppend(options.path);
    this.#onDisk = this.#size = fs.stat(options.path)?.size ?? 0;
    if (this.#size > 0) this.#endTornLine();
    if (this.#size === 0) this.#startFile();
  }

  /**
   * Takes lines: a string without its newline, or exact bytes (newline included
   * if wanted: line-faults.ts uses this for malformed lines). Throws, taking
   * nothing, only while an earlier write still fails.
   */
  append(lines: readonly (string | Uint8Array)[]): void {
    if (this.#closed) throw new Error(`cannot write to ${this.#o.path}: the writer is closed`);
    if (this.#failed) this.#drain();
    const max = this.#o.maxBytes;
    for (let i = 0; i < lines.length; ) {
      // A run of lines that fits for certain (UTF-8 needs at most 3 bytes per UTF-16 unit)
      // is encoded without rotation checks: rotation cannot fall inside it. Runs are capped
      // so the buffer stays near highWater instead of growing to the size of a huge batch.
      let room = Math.min(this.#rotates ? max - this.#size : Infinity, RUN_BYTES);
      let end = i;
      for (let line = lines[end]; typeof line === "string" && line.length * 3 + 1 <= room; line = lines[++end]) room -= line.length * 3 + 1;
      if (end - i > 1) {
        // Line by line into the buffer: joining first would copy every line once more.
        const buffer = this.#buffer;
        this.#lines += end - i;
        for (; i < end; i++) this.#size += buffer.appendLine(lines[i] as string);
      } else {
        this.#appendOne(lines[i]!);
        i++;
      }
      if (this.#buffer.length >= this.#highWater && !this.#failed) {
        try {
          this.#drain();
        } catch {
          this.#failed = true; // Kept buffered; flush() reports it.
        }
      }
    }
  }

  /** Appends one line, rotating before it if it would make the file exceed maxBytes. */
  #appendOne(line: string | Uint8Array): void {
    const buffer = this.#buffer;
    const start = buffer.length;
    const n = typeof line === "string" ? buffer.append(`${line}\n`) : (buffer.appendBytes(line), line.length);
    // Rotate only if the file already holds a record: a lone oversized record stays whole in its own file.
    if (this.#rotates && this.#size + n > this.#o.maxBytes && this.#size > this.#headerBytes) {
      const bytes = buffer.view(start).slice();
      buffer.length = start;
      this.#cuts.push(start);
      this.#cutLines.push(this.#lines);
      this.#lines = 0;
      this.#startFile();
      buffer.appendBytes(bytes);
    }
    this.#size += n;
    this.#lines++;
  }


  /** Writes out everything buffered (fsync if configured). Throws if that fails; the bytes stay buffered. */
  flush(): void {
    this.#drain();
    if (this.#o.fsync) this.#file?.sync();
  }

  /** Flushes and closes; closes the file even if the flush failed. Once: a second close does nothing, and writes after it throw. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.flush();
    } finally {
      this.#file?.close();
      this.#file = undefined;
    }
  }

  /** Bytes buffered and not yet written. */
  get buffered(): number {
    return this.#buffer.length;
  }

  #startFile(): void {
    this.#headerBytes = 0;
    if (this.#o.header !== undefined) this.#headerBytes = this.#buffer.append(this.#o.header) + this.#buffer.append("\n");
    this.#size = this.#headerBytes;
  }

  /** A crash can leave the last line without its newline: end it, or cut it away, before appending. */
  #endTornLine(): void {
    const whole = wholeLinesEnd(this.#fs, this.#o.path, this.#onDisk, this.#o.torn === "truncate");
    if (whole === undefined || whole === this.#onDisk) return;
    if (this.#o.torn === "truncate") {
      this.#file!.truncate(whole);
      this.#onDisk = this.#size = whole;
    } else {
      // Buffered, not written now: opening must not fail on a full disk, and the file only grows.
      this.#size += this.#buffer.append("\n");
    }
  }

  #drain(): void {
    this.#failed = true;
    for (;;) {
      const end = this.#cuts.length > 0 ? this.#cuts[0]! : this.#buffer.length;
      if (end > 0) this.#write(end);
      if (this.#cuts.length === 0) break;
      this.#rotate(this.#cutLines[0] ?? 0);
      this.#cuts.shift();
      this.#cutLines.shift();
    }
    this.#failed = false;
  }

  /** Writes buffer[0, end) and drops it from the buffer, also after a partial write. */
  #write(end: number): void {
    let written = 0;
    try {
      if (!this.#file) {
        // Reopened after a rotation that failed part way: the file may be the old one or a new one.
        this.#file = this.#fs.openAppend(this.#o.path);
        this.#onDisk = this.#fs.stat(this.#o.path)?.size ?? 0;
      }
      this.#file.write(this.#buffer.view(0, end));
      written = end;
    } catch (error) {
      written = this.#keepWholeLines((error as { bytesWritten?: number }).bytesWritten ?? 0);
      throw error;
    } finally {
      if (written > 0) {
        this.#buffer.consume(written);
        this.#onDisk += written;
        this.#cuts = this.#cuts.map((cut) => cut - written);
      }
    }
  }

  /**
   * After a write that stopped after `written` bytes: with torn "truncate", cuts
   * the file back to the last whole line among them. Returns the bytes that stay
   * in the file (the rest stays buffered for the retry).
   */
  #keepWholeLines(written: number): number {
    if (written === 0 || this.#o.torn !== "truncate") return written;
    const whole = this.#buffer.view(0, written).lastIndexOf(10) + 1;
    if (whole === written) return written;
    try {
      this.#file!.truncate(this.#onDisk + whole);
      return whole;
    } catch {
      return written; // The piece stays in the file, and the retry completes its line.
    }
  }

  #rotate(lines: number): void {
    const { path, backups } = this.#o;
    this.#file?.close();
    this.#file = undefined;
    for (const n of this.#backupsBelow(backups)) this.#fs.rename(`${path}.${n}`, `${path}.${n + 1}`);
    if (this.#fs.stat(path)) this.#fs.rename(path, `${path}.1`);
    this.#file = this.#fs.openAppend(path);
    this.#onDisk = 0;
    this.#o.onRotated?.(path, lines);
  }

  /** Numbers N < `limit` of the existing backups `path.N`, highest first (the order they must move in). */
  #backupsBelow(limit: number): number[] {
    const prefix = `${basename(this.#o.path)}.`;
    const found: number[] = [];
    for (const name of this.#fs.readDir(dirname(this.#o.path))) {
      const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : "";
      if (/^[1-9]\d{0,15}$/.test(suffix) && Number(suffix) < limit) found.push(Number(suffix));
    }
    return found.sort((a, b) => b - a);
  }
}

/** Bytes read per step when looking back for a line's end. */
const TAIL_CHUNK = 64 * 1024;

/**
 * The offset just past the last newline of the file's first `size` bytes: `size`
 * when it ends with one. Without `scan`, reads only the last byte and says
 * whether it does (`size`) or not (`size - 1`). Undefined when the file cannot be read.
 */
function wholeLinesEnd(fs: FileSystem, path: string, size: number, scan: boolean): number | undefined {
  let file;
  try {
    file = fs.openRead(path);
  } catch {
    return undefined; // Write-only: nothing to check against.
  }
  try {
    const chunk = new Uint8Array(Math.min(scan ? TAIL_CHUNK : 1, size));
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const n = file.read(chunk.subarray(0, end - start), start);
      if (n !== end - start) return undefined; // Changed under us: leave it.
      const at = chunk.subarray(0, n).lastIndexOf(10);
      if (at >= 0) return start + at + 1;
      if (!scan) return size - 1;
      end = start;
    }
    return 0;
  } finally {
    file.close();
  }
}
