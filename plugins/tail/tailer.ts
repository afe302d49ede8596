/**
 * Follows the files matching some globs and reads their new lines, losing
 * none (see ../../shared/design/TAILING.md, whose rules are cited by number):
 * - files are identified by device+inode plus a fingerprint of their first bytes (1);
 * - offsets are bytes; lines are split on `\n` before decoding (2);
 * - a renamed or deleted file is read through its open handle until it has no
 *   pending bytes, then closed at a later scan (5); its last unfinished line is
 *   then emitted flagged partial (9);
 * - a file smaller than the read position, or whose first bytes changed, was
 *   truncated: it is read again from 0 and the bytes never read are counted (7).
 *   When a copy of it sits beside it (copytruncate: same first bytes, at least
 *   as long as what was read), the copy is followed from the read position on,
 *   so lines written before the copy are not lost;
 * - saved positions advance only through `ack` (3), which the pipeline calls
 *   once the sinks have durably written a batch.
 * The caller drives it: `scan()` on watch hints and every poll interval (6),
 * `read()` in a loop, `ack()` when a batch is written, `saved()` to checkpoint.
 */
import { dirname, join } from "node:path";
import { LineSplitter, type FileStat, type FileSystem, type RawLine, type ReadFile, type SplitLine } from "../../core/mod.ts";
import type { SavedFile } from "./checkpoint.ts";
import type { Glob } from "./glob.ts";
import { fileKey, fingerprint, fingerprintMatches, FINGERPRINT_BYTES, hashBytes, type Fingerprint } from "./identity.ts";
import type { TailedFile } from "./events.ts";
import { LineJoiner, type CompiledMultiline, type JoinedLine, type JoinStats } from "./multiline.ts";

export interface TailerOptions {
  fs: FileSystem;
  include: Glob[];
  exclude?: Glob[];
  /** Absolute paths never to read (the collector's own outputs); asked at every scan. */
  ignored?: () => string[];
  /** Files present at the first scan (with no saved position) start at 0 instead of their end. */
  fromBeginning?: boolean;
  maxLineBytes: number;
  /** Bytes read per call (default 64 KiB). */
  chunkBytes?: number;
  /** Positions saved by an earlier run. */
  saved?: SavedFile[];
  /**
   * A rotated or deleted file is closed once read to its end, at a scan after the one that saw
   * it leave and at least this long after (default 1000 ms): a writer that has not reopened yet
   * may still append to it. Unread bytes are never abandoned, whatever this says.
   */
  closeAfterMs?: number;
  /** Monotonic milliseconds (default performance.now). */
  now?: () => number;
  /** Join the lines of one event into one line (see multiline.ts): one joiner per file. */
  multiline?: CompiledMultiline;
  /**
   * Most files held open at once (default 512). Past it, files read to their end are closed and
   * reopened by path and identity when a scan sees them change, and new files wait for a handle
   * (counted in `deferredFiles`). Lowered by itself, with room to spare, when the system refuses
   * an open (EMFILE), so state can always be saved.
   */
  maxOpenFiles?: number;
}

/** What the tailer counts; every line it does not deliver is here with its reason (rule 12). */
export interface TailStats extends JoinStats {
  lines: number;
  bytes: number;
  /** Lines cut at maxLineBytes. */
  truncatedLines: number;
  /** Last lines without a newline, emitted when their file was rotated away or closed. */
  partialLines: number;
  /** Batch mode: last lines without a newline yet in files still there, left for the next run. */
  leftUnfinished: number;
  /** Files seen shrinking (truncate, copytruncate) or rewritten. */
  truncations: number;
  /** Bytes known to have been in a file and lost to a truncation before they were read. */
  bytesLost: number;
  /** Files that left their path (renamed or deleted) while being followed. */
  rotations: number;
  /** copytruncate copies followed from the read position, so the lines before the truncation were not lost. */
  copiesFollowed: number;
  filesOpened: number;
  filesClosed: number;
  /** Lines read again after a restart that the sinks may already have (at most the last unsaved batch). */
  replayed: number;
  /** Files with a saved position that were gone at restart (their unread rest is unknown). */
  missingFiles: number;
  /**
   * Files truncated or replaced while the collector was down, with no copy beside them: what they
   * held past their saved position is lost, and how much is unknown.
   */
  truncatedWhileDown: number;
  /** Files under the globs that cannot be opened (permissions) right now; retried at every scan. */
  unreadableFiles: number;
  /** Files waiting for a handle (maxOpenFiles, or the system's limit) right now. */
  deferredFiles: number;
  /** Files read to their end closed to stay under maxOpenFiles, and reopened when they changed. */
  filesParked: number;
}

interface Tracked {
  key: string;
  id: string;
  path: string;
  dev: number;
  ino: number;
  file: ReadFile | undefined;
  fp: Fingerprint;
  splitter: LineSplitter;
  size: number;
  /** Modification time at the last read (ms): the parsers' year of year-less timestamps. */
  mtime: number;
  state: TailedFile["state"];
  /** Scan count at which it was seen rotated or deleted; closed once drained at a later scan. */
  leftAt: number;
  leftAtMs: number;
  /** Bumped by each truncation, so acks of older batches do not move the new position. */
  gen: number;
  acked: number;
  sent: number;
  replayUntil: number;
  /** Set by a scan that saw the first bytes change: handled at the next read. */
  rewritten: boolean;
  /** A copytruncate copy followed in place of the truncated file (see #adoptCopy). */
  copy?: boolean;
  /** The copy that took over this file's read position at a truncation: acks of batches read before it (generation `gen`) move the copy's. */
  handedTo?: { gen: number; copy: Tracked };
  /** Closed to stay under maxOpenFiles while read to its end (file undefined, still followed); `stale` once a scan saw it change. */
  parked?: boolean;
  stale?: boolean;
  /** Reading started inside an over-long last line: the first line read is its cut end. */
  headCut?: boolean;
  /** With `multiline`: the lines of an event still coming, held back (and out of the marks) until it is whole. */
  joiner?: LineJoiner;
  done: boolean;
}

/** A copy of a file followed: the first bytes it was matched on, and where that file had been read (in generation `gen`). */
interface CopyMatch {
  path: string;
  of: Tracked;
  fp: Fingerprint;
  gen: number;
  position: number;
}

export interface Mark {
  file: Tracked;
  gen: number;
  end: number;
}

export interface ReadResult {
  lines: RawLine[];
  marks: Mark[];
  /** Bytes read: more than 0 with no lines while in the middle of a long line. */
  bytes: number;
}

export const createStats = (): TailStats => ({
  lines: 0, bytes: 0, truncatedLines: 0, partialLines: 0, leftUnfinished: 0, truncations: 0, bytesLost: 0, rotations: 0, copiesFollowed: 0, filesOpened: 0, filesClosed: 0, replayed: 0, missingFiles: 0, truncatedWhileDown: 0, unreadableFiles: 0, deferredFiles: 0, filesParked: 0,
  joinedEvents: 0, joinedLines: 0, cutEvents: 0,
});

const TAIL_WINDOW = 64 * 1024;
/** Closed files remembered (identity and position), so one that comes back resumes where it was. */
const CLOSED_MEMORY = 4096;
/** Descriptors kept free under the system's limit once it was hit: state saves, sinks, watchers. */
const DESCRIPTOR_HEADROOM = 32;
const encoder = new TextEncoder();

export class Tailer {
  readonly stats: TailStats = createStats();
  /** Problems to report once (a saved file that is gone). */
  readonly problems: string[] = [];
  readonly #o: TailerOptions;
  readonly #files = new Map<string, Tracked>();
  readonly #chunk: Uint8Array;
  readonly #split: SplitLine[] = [];
  readonly #joined: JoinedLine[] = [];
  /** Events flushed from a file retired outside a read: delivered by the next read. */
  #orphans: RawLine[] = [];
  #saved: Map<string, SavedFile> | undefined;
  /** Saved files whose content was found in a copy at restart (not lost). */
  readonly #copied = new Set<string>();
  /** Files closed after leaving their path: a file that comes back (same inode and first bytes) resumes there. */
  readonly #closed = new Map<string, SavedFile>();
  /** Keys under the globs at the last scan. */
  #seen = new Set<string>();
  /** New files under the globs that are copies of a file followed (same first bytes): adopted at its truncation, never read from 0. */
  /** Files under the globs that could not be opened, with the reason: warned once each, retried at every scan. */
  readonly #unreadable = new Map<string, string>();
  /** Files waiting for a handle, and whether they were there at the first scan (so start at their end). */
  readonly #waiting = new Map<string, { first: boolean; state: TailedFile["state"]; from: SavedFile | undefined }>();
  #maxOpen: number;
  #openCount = 0;
  readonly #deferred = new Map<string, CopyMatch>();
  readonly #now: () => number;
  #scans = 0;

  constructor(options: TailerOptions) {
    this.#o = options;
    this.#chunk = new Uint8Array(options.chunkBytes ?? 64 * 1024);
    this.#now = options.now ?? (() => performance.now());
    this.#maxOpen = Math.max(1, options.maxOpenFiles ?? 512);
    if (options.saved) this.#saved = new Map(options.saved.filter((f) => !f.done).map((f) => [fileKey(f), f]));
    for (const f of options.saved ?? []) if (f.done) this.#closed.set(fileKey(f), f);
  }

  /**
   * Looks for new, rotated, deleted and rewritten files. Returns true when the
   * set of files changed, so the caller saves positions for new files at once
   * (a crash before their first ack must not make a restart skip them).
   */
  scan(): boolean {
    const first = this.#scans === 0;
    this.#scans++;
    const opened = this.stats.filesOpened;
    const fs = this.#o.fs;
    const seen = this.#matching();
    this.#seen = new Set(seen.keys());
    let changed = false;
    for (const t of this.#files.values()) {
      if (t.done) continue;
      const now = seen.get(t.key);
      if (now) {
        t.path = now.path;
        if (t.copy) continue; // A copy stays a rotated file, replaced when the next copytruncate overwrites it.
        if (t.state !== "active") changed = true;
        t.state = "active";
        if (t.parked) {
          if (now.stat.size !== t.size || now.stat.mtimeMs !== t.mtime) t.stale = true;
          continue;
        }
        if (t.file && !t.rewritten) this.#checkFingerprint(t, now.stat.size);
        // The largest size seen: a later truncation counts what was never read against it.
        if (!t.rewritten) this.#noteSize(t, now.stat.size);
      } else if (t.state === "active") {
        if (t.parked) t.stale = true; // Reopened where it went, to be read to its end.
        t.state = fs.stat(t.path) ? "rotated" : "deleted";
        t.leftAt = this.#scans;
        t.leftAtMs = this.#now();
        this.stats.rotations++;
        changed = true;
      }
    }
    if (first && this.#saved) {
      for (const saved of this.#saved.values()) if (saved.copy) this.#checkSavedCopy(saved, seen);
      for (const saved of this.#saved.values()) changed = this.#resumeFromCopy(saved, seen) || changed;
    }
    // At a restart, the files with a saved position first: a copy of one of them is then known as such.
    const saved = this.#saved;
    const order = saved ? [...seen].sort(([a], [b]) => Number(!saved.has(a)) - Number(!saved.has(b))) : seen;
    for (const [key, { path }] of order) {
      if (this.#files.has(key)) {
        this.#deferred.delete(key);
        continue;
      }
      // A fresh start reads what is there; later, and at a restart, a copy of a file followed waits for its
      // truncation: a new file, or a saved one overwritten in place by the copy (cp over an old copy while we were down).
      const mine = first && (!saved || (saved.has(key) && this.#holds(path, saved.get(key)!)));
      if (!mine && this.#deferCopy(key, path)) {
        if (first && saved?.has(key)) this.#replacedWhileDown(saved.get(key)!, path);
        continue;
      }
      const waiting = this.#waiting.get(path);
      if (waiting ? this.#open(path, waiting.first, waiting.state, waiting.from) : this.#open(path, first)) changed = true;
    }
    for (const key of this.#deferred.keys()) if (!seen.has(key)) this.#deferred.delete(key);
    if (this.#unreadable.size > 0) {
      const paths = new Set([...seen.values()].map((f) => f.path));
      for (const path of this.#unreadable.keys()) if (!paths.has(path)) this.#unreadable.delete(path);
      this.stats.unreadableFiles = this.#unreadable.size;
    }
    if (first) {
      if (this.#saved) for (const saved of this.#saved.values()) if (!this.#files.has(fileKey(saved)) && !this.#deferred.has(fileKey(saved))) changed = this.#findMoved(saved) || changed;
      this.#saved = undefined;
    }
    if (this.stats.filesOpened > opened) this.#oldestFirst();
    return changed;
  }

  /**
   * Files are read in the order of #files. Oldest (least recently modified) first: rotation deletes
   * those first. Opened in the glob's order instead (`app.log` before `app.log.1`), a restarted
   * collector that is behind read the newest file while the oldest was deleted under it, and a kill
   * before it got there lost that file's unread rest.
   */
  #oldestFirst(): void {
    const files = [...this.#files].sort(([, a], [, b]) => a.mtime - b.mtime);
    this.#files.clear();
    for (const [key, t] of files) this.#files.set(key, t);
  }

  /** Reads up to about `maxLines` lines / `maxBytes` bytes, one chunk per file in turn, oldest file first. */
  read(maxLines: number, maxBytes: number): ReadResult {
    const lines: RawLine[] = this.#orphans.splice(0);
    const marks = new Map<Tracked, Mark>();
    let bytes = 0;
    for (const [path, w] of this.#waiting) this.#open(path, w.first, w.state, w.from);
    for (let progress = true; progress && lines.length < maxLines && bytes < maxBytes; ) {
      progress = false;
      for (const t of this.#files.values()) {
        if (t.done) continue;
        const n = this.#readChunk(t, lines, marks);
        if (n > 0) {
          progress = true;
          bytes += n;
        }
        if (lines.length >= maxLines || bytes >= maxBytes) break;
      }
    }
    return { lines, marks: [...marks.values()], bytes };
  }

  /**
   * Batch mode's end: the events still held, and the unfinished last lines of files that are gone
   * (flagged partial). The unfinished line of a file still there is not emitted: it and the event it
   * may join stay unacknowledged, so the next run resumes before them and emits them once, whole.
   */
  unfinished(): ReadResult {
    const lines: RawLine[] = this.#orphans.splice(0);
    const marks: Mark[] = [];
    for (const t of this.#files.values()) {
      if (t.done) continue;
      const before = lines.length;
      if (t.state !== "active") {
        const held: SplitLine[] = [];
        t.splitter.flush(held);
        for (const line of held) this.#take(t, line, lines);
        this.#flushJoiner(t, lines);
      } else if (t.splitter.pendingBytes === 0) this.#flushJoiner(t, lines);
      else this.stats.leftUnfinished++; // Said in the summary: the next run reads it once its newline (or the file's end) comes.
      if (lines.length > before) marks.push({ file: t, gen: t.gen, end: (t.sent = t.joiner?.held ?? t.splitter.position) });
    }
    return { lines, marks, bytes: 0 };
  }

  /** The sinks have written the batch these marks came with. */
  ack(marks: readonly Mark[]): void {
    for (const mark of marks) {
      const file = mark.gen === mark.file.gen ? mark.file : mark.file.handedTo?.gen === mark.gen ? mark.file.handedTo.copy : undefined;
      if (!file) continue;
      if (mark.end > file.acked) file.acked = mark.end;
      if (file.done && file.acked >= file.sent && this.#files.get(file.key) === file) this.#files.delete(file.key);
    }
  }

  /** Positions to save: acked offsets only. */
  saved(): SavedFile[] {
    // A file retired because its inode was overwritten (its key suffixed) only waits for acks: its content is gone.
    const followed = [...this.#files.values()].filter((t) => t.key === fileKey(t));
    const files: SavedFile[] = followed.map((t) => ({ path: t.path, dev: t.dev, ino: t.ino, fingerprint: t.fp, offset: t.acked, read: t.sent, size: t.size, ...(t.copy ? { copy: true } : {}) }));
    // Closed files still under the globs (a copy beside its rotated file): a restart must not read them from 0.
    for (const [key, closed] of this.#closed) if (this.#seen.has(key) && !this.#files.has(key)) files.push({ ...closed, done: true });
    return files;
  }

  files(): TailedFile[] {
    const files: TailedFile[] = [...this.#files.values()].filter((t) => !t.done).map((t) => {
      const position = t.splitter.next;
      return { id: t.id, path: t.path, position, size: t.size, lag: Math.max(0, t.size - position), state: t.state };
    });
    for (const [path, error] of this.#unreadable) {
      const size = this.#o.fs.stat(path)?.size ?? 0;
      files.push({ id: hashBytes(encoder.encode(path)).slice(0, 12), path, position: 0, size, lag: size, state: "unreadable", error });
    }
    return files;
  }

  /** Handles held open right now (at most maxOpenFiles). */
  get openFiles(): number {
    return this.#openCount;
  }

  /** Whether `path` is the path of a file followed (not one rotated away from it). */
  follows(path: string): boolean {
    for (const t of this.#files.values()) if (t.path === path && t.state === "active") return true;
    return false;
  }

  /** Whether every open file has been read to its last known size. */
  get caughtUp(): boolean {
    if (this.#waiting.size > 0) return false;
    for (const t of this.#files.values()) if (!t.done && (t.size > t.splitter.next || t.stale)) return false;
    return true;
  }

  /** Directories worth watching for hints. */
  directories(): string[] {
    return [...new Set([...this.#o.include.map((g) => g.base), ...[...this.#files.values()].map((t) => dirname(t.path))])];
  }

  close(): void {
    for (const t of this.#files.values()) this.#release(t);
  }

  /**
   * The system refused a descriptor elsewhere (saving state, a sink): hold fewer files, with room
   * to spare, closing files read to their end now.
   */
  shed(): void {
    this.#maxOpen = Math.max(1, this.#openCount - DESCRIPTOR_HEADROOM);
    this.#makeRoom(undefined, true);
  }

  /** A handle on `path` within the budget: "full" when no file can be closed for it (it waits). */
  #handle(path: string, except?: Tracked): ReadFile | Error | "full" {
    if (!this.#makeRoom(except)) return "full";
    try {
      const file = this.#o.fs.openRead(path);
      this.#openCount++;
      return file;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EMFILE" && code !== "ENFILE") return error as Error;
      // The system's limit is lower than ours: keep room under it for state saves and the sinks.
      if (this.#maxOpen > this.#openCount - DESCRIPTOR_HEADROOM) this.shed();
      return "full";
    }
  }

  #closeHandle(file: ReadFile): void {
    file.close();
    this.#openCount--;
  }

  #release(t: Tracked): void {
    if (t.file) this.#closeHandle(t.file);
    t.file = undefined;
    t.parked = t.stale = false;
  }

  /**
   * Closes files followed (oldest first; those read to their end first, then, when `any`, those with
   * bytes left, which are reopened to read them) until one more handle fits; false when none can be.
   */
  #makeRoom(except?: Tracked, any = false): boolean {
    for (const drainedOnly of any ? [true, false] : [true]) {
      if (this.#openCount < this.#maxOpen) return true;
      for (const t of this.#files.values()) {
        if (t === except || !t.file || t.done || t.copy || t.rewritten || t.state !== "active" || (drainedOnly && t.size > t.splitter.next)) continue;
        this.#closeHandle(t.file);
        t.file = undefined;
        t.parked = true;
        t.stale = t.size > t.splitter.next;
        this.stats.filesParked++;
        if (this.#openCount < this.#maxOpen) return true;
      }
    }
    return this.#openCount < this.#maxOpen;
  }

  /** Reopens a parked file that changed, by path and identity; one that left its path meanwhile is looked for beside it. */
  #unpark(t: Tracked): boolean {
    const dir = dirname(t.path);
    const paths = [t.path, ...this.#o.fs.readDir(dir).map((name) => join(dir, name)).filter((p) => p !== t.path)];
    for (const path of paths) {
      const stat = this.#o.fs.stat(path);
      if (!stat?.isFile || fileKey(stat) !== t.key) continue;
      const file = this.#handle(path, t);
      if (file === "full") return false;
      if (file instanceof Error) break;
      if (fileKey(file.stat()) !== t.key) {
        this.#closeHandle(file);
        break;
      }
      t.file = file;
      t.path = path;
      t.parked = t.stale = false;
      return true;
    }
    // Gone while closed: what a scan saw in it past the read position is lost.
    this.stats.bytesLost += Math.max(0, t.size - t.splitter.next) + t.splitter.pendingBytes;
    t.parked = t.stale = false;
    t.done = true;
    this.stats.filesClosed++;
    if (t.acked >= t.sent) this.#files.delete(t.key);
    return false;
  }

  #matching(): Map<string, { path: string; stat: FileStat }> {
    const fs = this.#o.fs;
    const ignoredPaths = new Set(this.#o.ignored?.() ?? []);
    const ignoredKeys = new Set<string>();
    for (const path of ignoredPaths) {
      const stat = fs.stat(path);
      if (stat) ignoredKeys.add(fileKey(stat));
    }
    const seen = new Map<string, { path: string; stat: FileStat }>();
    for (const glob of this.#o.include) {
      for (const path of glob.expand(fs)) {
        if (ignoredPaths.has(path) || this.#o.exclude?.some((g) => g.matches(path))) continue;
        const stat = fs.stat(path);
        if (!stat?.isFile) continue;
        const key = fileKey(stat);
        if (!ignoredKeys.has(key) && !seen.has(key)) seen.set(key, { path, stat });
      }
    }
    return seen;
  }

  #open(path: string, first: boolean, state: TailedFile["state"] = "active", from?: SavedFile): boolean {
    const file = this.#handle(path);
    if (file === "full") {
      const stat = this.#o.fs.stat(path);
      this.#waiting.set(path, { first, state, from: from ?? (stat ? this.#saved?.get(fileKey(stat)) : undefined) });
      this.stats.deferredFiles = this.#waiting.size;
      return false;
    }
    this.#waiting.delete(path);
    this.stats.deferredFiles = this.#waiting.size;
    if (file instanceof Error) {
      // Gone between the listing and the open: the next scan decides. Otherwise (permissions), say so once and retry at every scan.
      const error = file;
      const code = (error as { code?: string }).code;
      if (code !== "ENOENT" && code !== "NotFound" && !this.#unreadable.has(path)) {
        const reason = code ?? (error as Error).message;
        this.#unreadable.set(path, reason);
        this.stats.unreadableFiles = this.#unreadable.size;
        this.problems.push(`cannot read ${path} (${reason}); it is retried at every scan and read once it can be`);
      }
      return false;
    }
    if (this.#unreadable.delete(path)) this.stats.unreadableFiles = this.#unreadable.size;
    const real = file.stat();
    const key = fileKey(real);
    if (this.#files.has(key)) {
      this.#closeHandle(file);
      return false;
    }
    const saved = from ?? this.#saved?.get(key);
    const closed = this.#closed.get(key);
    this.#closed.delete(key);
    let start = 0;
    let replayUntil = 0;
    let headCut = false;
    let copy = false;
    if (saved && saved.offset <= real.size && fingerprintMatches(file, saved.fingerprint)) {
      start = saved.offset;
      replayUntil = saved.read;
      if (saved.copy) (copy = true), (state = "rotated");
    } else if (saved) {
      this.stats.truncations++; // Same inode, other content: truncated, rewritten or the inode reused while we were down.
      // Nothing acked (offset 0) yet known to hold bytes (read or size > 0): those are lost too.
      if (!this.#copied.has(key) && Math.max(saved.offset, saved.read, saved.size ?? 0) > 0) {
        this.stats.truncatedWhileDown++;
        this.problems.push(`${path} was truncated or replaced while the collector was down (saved at byte ${saved.offset}) and no copy of it is beside it: whatever it held past that byte is lost`);
      }
    } else if (closed && closed.offset <= real.size && fingerprintMatches(file, closed.fingerprint)) {
      start = closed.offset; // A file that left its path (a folder moved away) and came back: the same file.
      copy = closed.copy === true; // A copy closed once read, still under the globs: still a copy (overwritten by the next one), left open.
    } else if (first && !this.#o.saved && !this.#o.fromBeginning) {
      ({ start, headCut } = lineBoundaryNearEnd(file, real.size, this.#o.maxLineBytes));
    }
    const t: Tracked = {
      key, id: hashBytes(encoder.encode(key)).slice(0, 12), path, dev: real.dev, ino: real.ino, file,
      fp: fingerprint(file, real.size), splitter: new LineSplitter(start, this.#o.maxLineBytes), size: real.size, mtime: real.mtimeMs,
      state, leftAt: this.#scans, leftAtMs: this.#now(), gen: 0, acked: start, sent: start, replayUntil, rewritten: false, done: false, headCut,
      joiner: this.#joiner(), ...(copy ? { copy } : {}),
    };
    this.#files.set(key, t);
    this.stats.filesOpened++;
    if (state !== "active" && !copy) this.stats.rotations++;
    return true;
  }

  /** A saved file no longer under the globs may have been rotated while we were down: look for it beside its old path. */
  #findMoved(saved: SavedFile): boolean {
    const dir = dirname(saved.path);
    for (const name of this.#o.fs.readDir(dir)) {
      const path = join(dir, name);
      const stat = this.#o.fs.stat(path);
      if (stat?.isFile && stat.dev === saved.dev && stat.ino === saved.ino) return this.#open(path, true, "rotated");
    }
    this.stats.missingFiles++;
    this.problems.push(`${saved.path} was saved at byte ${saved.offset} and is gone; whatever it held past that was not read`);
    return true;
  }

  #checkFingerprint(t: Tracked, size: number): void {
    if (size < t.fp.length || !fingerprintMatches(t.file!, t.fp)) {
      t.rewritten = true;
      return;
    }
    if (t.fp.length < FINGERPRINT_BYTES && size > t.fp.length) t.fp = fingerprint(t.file!, size);
  }

  /** Reads one chunk of `t`; returns the bytes read. */
  #readChunk(t: Tracked, lines: RawLine[], marks: Map<Tracked, Mark>): number {
    if (t.parked && !(t.stale && this.#unpark(t))) return 0;
    const file = t.file!;
    const stat = file.stat();
    const size = stat.size;
    // Before each read, and when the file was modified, the first bytes are checked (one 1 KiB pread):
    // a file truncated and written again past our position, or overwritten in place to the same size
    // (cp over an old copy), must not be read from the middle of its new content.
    if (!t.rewritten && (size > t.splitter.next || size < t.fp.length || stat.mtimeMs !== t.mtime)) this.#checkFingerprint(t, size);
    t.mtime = stat.mtimeMs;
    if (t.copy && (t.rewritten || size < t.splitter.next)) {
      // A copy overwritten in place by the next copytruncate: the next truncation adopts the new one.
      // Under the globs, it is at once a new file (deferred if it copies a file followed).
      const { key, path } = t;
      this.stats.bytesLost += Math.max(0, t.size - t.splitter.next) + t.splitter.pendingBytes;
      this.#retire(t);
      if (this.#o.include.some((g) => g.matches(path)) && !this.#o.exclude?.some((g) => g.matches(path)) && !this.#deferCopy(key, path)) this.#open(path, false);
      return 0;
    }
    if ((t.rewritten || size < t.splitter.next) && this.#copyOf(t.path, t)) {
      // Overwritten in place by a copy of another file followed (cp over an old copy): that copy waits for its truncation.
      this.stats.bytesLost += Math.max(0, t.size - t.splitter.next) + t.splitter.pendingBytes;
      this.#retire(t);
      return 0;
    }
    if (t.rewritten || size < t.splitter.next) {
      this.#restart(t, size, this.#adoptCopy(t), lines);
      t.size = size;
    } else this.#noteSize(t, size);
    const next = t.splitter.next;
    const n = size > next ? file.read(this.#chunk.subarray(0, Math.min(this.#chunk.length, size - next)), next) : 0;
    if (n <= 0) {
      // At the end of the file: an event whose next line is late may leave (a line already in the file has arrived).
      if (t.joiner) this.#expire(t, lines, marks);
      if (t.state !== "active" && this.#scans > t.leftAt && this.#now() - t.leftAtMs >= (this.#o.closeAfterMs ?? 1000)) this.#finish(t, lines, marks);
      return 0;
    }
    this.stats.bytes += n;
    const split = this.#split;
    split.length = 0;
    t.splitter.push(this.#chunk.subarray(0, n), split);
    const before = lines.length;
    for (const line of split) this.#take(t, line, lines);
    if (lines.length > before || (split.length > 0 && !t.joiner)) this.#mark(t, marks);
    return n;
  }

  /**
   * Every look at a file's size (scan or read) keeps the largest seen, which a truncation's loss is
   * counted against. Smaller but not below the read position: cut above it (truncate -s), and what
   * was seen past the cut, unread, is gone. Below the read position, the read handles it (#restart).
   */
  #noteSize(t: Tracked, size: number): void {
    if (size >= t.size) t.size = size;
    else if (size >= t.splitter.next) {
      this.stats.truncations++;
      this.stats.bytesLost += t.size - size;
      t.size = size;
    }
  }

  /** A line read: to the output, or to the file's joiner, which may complete events with it. */
  #take(t: Tracked, line: SplitLine, lines: RawLine[]): void {
    if (!t.joiner) {
      lines.push(this.#raw(t, line));
      return;
    }
    this.#count(t, line);
    const joined = this.#joined;
    t.joiner.push(line, this.#now(), joined);
    for (const event of joined) lines.push(this.#event(t, event));
    joined.length = 0;
  }

  #expire(t: Tracked, lines: RawLine[], marks: Map<Tracked, Mark>): void {
    const joined = this.#joined;
    t.joiner!.expire(this.#now(), joined);
    for (const event of joined) lines.push(this.#event(t, event));
    if (joined.length > 0) this.#mark(t, marks);
    joined.length = 0;
  }

  /** Everything the file's joiner holds leaves (its file is closed, truncated, or batch mode ended). */
  #flushJoiner(t: Tracked, lines: RawLine[]): void {
    const joined = this.#joined;
    t.joiner?.flush(joined);
    for (const event of joined) lines.push(this.#event(t, event));
    joined.length = 0;
  }

  #joiner = (): LineJoiner | undefined => (this.#o.multiline ? new LineJoiner(this.#o.multiline, this.stats) : undefined);

  #count(t: Tracked, line: SplitLine): void {
    if (t.headCut) (t.headCut = false), (line.truncated = true);
    if (line.truncated) this.stats.truncatedLines++;
    if (line.partial) this.stats.partialLines++;
    if (line.end <= t.replayUntil) this.stats.replayed++;
    this.stats.lines++;
  }

  #raw(t: Tracked, line: SplitLine): RawLine {
    this.#count(t, line);
    return this.#event(t, line);
  }

  #event(t: Tracked, line: SplitLine | JoinedLine): RawLine {
    const raw: RawLine = { kind: "line", text: line.text, origin: { file: t.path, offset: line.offset }, fileTime: t.mtime };
    if (line.truncated) raw.truncated = true;
    if (line.partial) raw.partial = true;
    return raw;
  }

  /** Positions may pass the lines sent, but not the first line of an event the joiner still holds. */
  #mark(t: Tracked, marks: Map<Tracked, Mark>): void {
    t.sent = t.joiner?.held ?? t.splitter.position;
    marks.set(t, { file: t, gen: t.gen, end: t.sent });
  }

  /**
   * Truncated or rewritten: count what was never read, and the start of an unfinished line whose
   * rest is gone (emitting it would split a line), then start over at 0.
   */
  #restart(t: Tracked, size: number, copy: Tracked | undefined, lines: RawLine[]): void {
    this.stats.truncations++;
    if (copy) {
      // The copy carries on from our position (and holds the unfinished line and event); lost is only what it lacks.
      this.stats.bytesLost += Math.max(0, t.size - copy.size);
      t.splitter = new LineSplitter(0, this.#o.maxLineBytes);
      t.joiner = this.#joiner();
    } else {
      this.stats.bytesLost += Math.max(0, t.size - t.splitter.next) + t.splitter.pendingBytes;
      t.splitter.reset(0);
      // The events held were read whole before the truncation: they leave (their acks no longer move the new position).
      this.#flushJoiner(t, lines);
    }
    t.gen++;
    t.acked = t.sent = t.replayUntil = 0;
    t.rewritten = false;
    t.fp = fingerprint(t.file!, size);
  }

  /**
   * copytruncate: a file beside `t` with `t`'s first bytes, holding at least what was read of it, is
   * the copy made before the truncation. It is followed as a rotated file from the read position on,
   * with `t`'s splitter (and so its unfinished line). A copy under the globs is followed anyway, from
   * its start, and is left alone here.
   */
  #adoptCopy(t: Tracked): Tracked | undefined {
    const fs = this.#o.fs;
    const dir = dirname(t.path);
    for (const name of fs.readDir(dir)) {
      const path = join(dir, name);
      const stat = path === t.path ? undefined : fs.stat(path);
      if (!stat?.isFile || stat.size < t.splitter.next || stat.size < t.fp.length) continue;
      const key = fileKey(stat);
      const earlier = this.#files.get(key);
      const file = this.#handle(path, t);
      if (file === "full" || file instanceof Error) continue;
      // A file of its own still holding what it held (not a cp over it) is left alone. A file followed
      // as active can be a copy: after a restart the copy is just a file under the globs.
      if (!fingerprintMatches(file, t.fp) || (earlier && earlier.state === "active" && !earlier.rewritten && holdsOwn(file, earlier))) {
        this.#closeHandle(file);
        continue;
      }
      // An earlier copy under this name, overwritten in place by this one: what it held unread is lost.
      if (earlier) {
        this.stats.bytesLost += Math.max(0, earlier.size - earlier.splitter.next) + earlier.splitter.pendingBytes;
        this.#retire(earlier);
      }
      const copy: Tracked = {
        ...t, key, id: hashBytes(encoder.encode(key)).slice(0, 12), path, dev: stat.dev, ino: stat.ino, file, size: stat.size,
        state: "rotated", leftAt: this.#scans, leftAtMs: this.#now(), gen: 0, replayUntil: 0, rewritten: false, done: false, copy: true, handedTo: undefined,
      };
      this.#files.set(key, copy);
      t.handedTo = { gen: t.gen, copy };
      this.stats.filesOpened++;
      this.stats.copiesFollowed++;
      return copy;
    }
    return undefined;
  }

  /** Stops following `t` at once, keeping it (under another key) until its last batch is acked. */
  #retire(t: Tracked): void {
    this.#flushJoiner(t, this.#orphans);
    this.#release(t);
    t.done = true;
    this.#files.delete(t.key);
    if (t.acked < t.sent) {
      t.key = `${t.key}~${this.stats.filesClosed}`;
      this.#files.set(t.key, t);
    }
    this.stats.filesClosed++;
  }

  /** A rotated or deleted file read to its end: emit its unfinished line, close it. */
  #finish(t: Tracked, lines: RawLine[], marks: Map<Tracked, Mark>): void {
    const held: SplitLine[] = [];
    t.splitter.flush(held);
    const before = lines.length;
    for (const line of held) this.#take(t, line, lines);
    this.#flushJoiner(t, lines);
    if (lines.length > before) this.#mark(t, marks);
    this.#release(t);
    t.done = true;
    this.stats.filesClosed++;
    if (t.acked >= t.sent) this.#files.delete(t.key);
    this.#remember(t);
  }

  #remember(t: Tracked): void {
    this.#closed.delete(t.key);
    this.#closed.set(t.key, { path: t.path, dev: t.dev, ino: t.ino, fingerprint: t.fp, offset: t.splitter.next, read: t.splitter.next, size: t.size, ...(t.copy ? { copy: true } : {}) });
    if (this.#closed.size > CLOSED_MEMORY) this.#closed.delete(this.#closed.keys().next().value!);
  }

  /**
   * Restart: a saved file whose own inode no longer holds what was read (copytruncate while we were
   * down) is continued from its saved offset in the copy beside it (same first bytes, at least that
   * long), as a live copytruncate is; the truncated file itself is then read from 0.
   */
  #resumeFromCopy(saved: SavedFile, seen: Map<string, { path: string; stat: FileStat }>): boolean {
    const key = fileKey(saved);
    if (this.#files.has(key)) return false;
    const dir = dirname(saved.path);
    const beside = this.#o.fs.readDir(dir).map((name) => ({ path: join(dir, name), stat: this.#o.fs.stat(join(dir, name)) }));
    // Still in its own inode (under its path or renamed beside it): resumed there, not from a copy.
    const own = seen.get(key) ?? beside.find((f) => f.stat?.isFile && fileKey(f.stat) === key);
    if (own && this.#holds(own.path, saved)) return false;
    for (const { path, stat } of beside) {
      if (!stat?.isFile || stat.size < saved.offset || fileKey(stat) === key || this.#files.has(fileKey(stat))) continue;
      const itsOwn = this.#saved!.get(fileKey(stat));
      if (itsOwn && this.#holds(path, itsOwn)) continue; // A file of its own, read before.
      if (!this.#holds(path, saved)) continue;
      if (itsOwn) this.#replacedWhileDown(itsOwn, path);
      if (!this.#open(path, true, "rotated", saved)) continue;
      this.#files.get(fileKey(stat))!.copy = true;
      this.stats.copiesFollowed++;
      this.#copied.add(key);
      return true;
    }
    return false;
  }

  /**
   * Restart: a saved copy whose inode now holds something else was overwritten by the next
   * copytruncate while we were down. Nothing was written to it after the copy, so what it held past
   * its saved offset is known, and lost; it is no longer that saved file.
   */
  #checkSavedCopy(saved: SavedFile, seen: Map<string, { path: string; stat: FileStat }>): void {
    const key = fileKey(saved);
    const path = seen.get(key)?.path ?? saved.path;
    const stat = this.#o.fs.stat(path);
    if (stat?.isFile && fileKey(stat) === key && !this.#holds(path, saved)) this.#replacedWhileDown(saved, path);
  }

  /**
   * Restart: the inode of a saved file now holds a copy of another file (the next copytruncate wrote
   * over it while we were down). What it held past its saved offset is lost: exactly known for a
   * copy (no longer written to), unknown otherwise. It is no longer that saved file.
   */
  #replacedWhileDown(saved: SavedFile, path: string): void {
    this.#saved!.delete(fileKey(saved));
    if (saved.copy) {
      const lost = Math.max(0, (saved.size ?? saved.offset) - saved.offset);
      if (lost === 0) return;
      this.stats.bytesLost += lost;
      this.problems.push(`${path}, a copy read to byte ${saved.offset} of ${saved.size}, was overwritten by the next copy while the collector was down: ${lost} bytes of it were never read`);
    } else if (saved.offset > 0) {
      this.stats.truncatedWhileDown++;
      this.problems.push(`${path} was replaced by a copy of another file while the collector was down (saved at byte ${saved.offset}): whatever it held past that byte is lost`);
    }
  }

  /** Whether the file at `path` starts with `saved`'s first bytes and has its saved offset. */
  #holds(path: string, saved: SavedFile): boolean {
    let file: ReadFile;
    try {
      file = this.#o.fs.openRead(path);
    } catch {
      return false;
    }
    try {
      return file.stat().size >= saved.offset && fingerprintMatches(file, saved.fingerprint);
    } finally {
      file.close();
    }
  }

  /**
   * A new file under the globs with the first bytes of a file followed beside it is a copy of it
   * (copytruncate's copy): reading it from 0 would read again what was read. It waits: the
   * truncation adopts it from the read position (#adoptCopy). If the file it copies is truncated
   * without adopting it, it is matched again against what that file holds now (a copy of its new
   * content waits for the next truncation); otherwise, or once that file is closed, it is followed
   * from where that file had been read when the copy was made.
   */
  #deferCopy(key: string, path: string): boolean {
    let pending = this.#deferred.get(key);
    // Overwritten in place by a later copy (cp over it again): that is a new copy, of what is there now.
    if (pending && !this.#holdsPrefix(path, pending.fp)) pending = undefined;
    if (pending && !pending.of.done && pending.of.gen !== pending.gen) pending = this.#copyOf(path) ?? pending;
    const match = pending ?? this.#copyOf(path);
    if (!match) {
      this.#deferred.delete(key);
      return false;
    }
    if (!match.of.done && match.of.gen === match.gen) {
      this.#deferred.set(key, match);
      return true;
    }
    this.#deferred.delete(key);
    const size = this.#o.fs.stat(path)?.size ?? 0;
    const offset = Math.min(match.position, size);
    this.#open(path, false, "active", { path, dev: 0, ino: 0, fingerprint: match.fp, offset, read: 0 });
    return true;
  }

  /**
   * The file followed that the file at `path` is a copy of: it starts with that file's first bytes,
   * or, for a file truncated and written again since the last look, with what it holds now (a copy
   * of its new content, to be read from that content's start).
   */
  #copyOf(path: string, self?: Tracked): CopyMatch | undefined {
    const dir = dirname(path);
    for (const t of this.#files.values()) {
      if (t === self || t.done || t.copy || !t.file || t.state !== "active" || dirname(t.path) !== dir) continue;
      // First bytes not all known yet (a young file, or one just truncated and written again): learn them now, or a copy made since looks unrelated.
      if (t.fp.length < FINGERPRINT_BYTES && !t.rewritten) this.#checkFingerprint(t, t.file.stat().size);
      if (t.fp.length > 0 && this.#holdsPrefix(path, t.fp)) return { path, of: t, fp: t.fp, gen: t.gen, position: t.splitter.position };
      if (t.rewritten) {
        const now = fingerprint(t.file, t.file.stat().size);
        if (now.length > 0 && this.#holdsPrefix(path, now)) return { path, of: t, fp: now, gen: t.gen, position: 0 };
      }
    }
    return undefined;
  }

  #holdsPrefix = (path: string, fp: Fingerprint): boolean => this.#holds(path, { path, dev: 0, ino: 0, fingerprint: fp, offset: 0, read: 0 });

}

/** Whether `file` (the inode `t` follows) still starts with `t`'s first bytes and is as long as what was read of it. */
const holdsOwn = (file: ReadFile, t: Tracked): boolean => file.stat().size >= t.splitter.next && fingerprintMatches(file, t.fp);

/**
 * Where to start in a file that was already there: after its last newline, so no line is read from
 * its middle. Looks back up to `maxLineBytes`; a last line longer than that (no newline within it)
 * would be cut anyway, so reading starts at the end and its rest is flagged truncated (`headCut`).
 */
function lineBoundaryNearEnd(file: ReadFile, size: number, maxLineBytes: number): { start: number; headCut: boolean } {
  const bytes = new Uint8Array(Math.min(size, TAIL_WINDOW));
  for (let end = size; end > 0 && size - end < maxLineBytes; ) {
    const from = Math.max(0, end - bytes.length);
    const n = file.read(bytes.subarray(0, end - from), from);
    const last = bytes.subarray(0, n).lastIndexOf(10);
    if (last >= 0) return { start: from + last + 1, headCut: false };
    if (from === 0) return { start: 0, headCut: false };
    end = from;
  }
  return { start: size, headCut: size > 0 };
}
