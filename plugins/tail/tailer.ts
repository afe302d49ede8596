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
 * Its parts: open-files.ts (the handle budget), copies.ts (copytruncate copies seen live),
 * restart.ts (saved positions matched at a restart), tracked.ts (the record of a followed file).
 */
import { dirname } from "node:path";
import { LineBlockBuilder, LineSplitter, type BlockBuffers, type FileStat, type FileSystem, type LineBlock, type RawLine, type ReadFile, type SplitLine } from "../../core/mod.ts";
import { heldBytes, type SavedFile } from "./checkpoint.ts";
import { Copies } from "./copies.ts";
import type { TailedFile } from "./events.ts";
import type { Glob } from "./glob.ts";
import { fileKey, fingerprint, fingerprintMatches, FINGERPRINT_BYTES, hashBefore, isGzip, matchesBefore, type Fingerprint } from "./identity.ts";
import { LineJoiner, type CompiledMultiline, type JoinedLine } from "./multiline.ts";
import { OpenFiles } from "./open-files.ts";
import { SavedPositions, type Seen } from "./restart.ts";
import { createStats, type TailStats } from "./tail-stats.ts";
import { checkFingerprint, opaqueId, unreadBytes, type Mark, type Tracked } from "./tracked.ts";

export type { Mark } from "./tracked.ts";
export type { TailStats } from "./tail-stats.ts";

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
  /**
   * Wall-clock milliseconds (default Date.now), compared with the files' modification times, which the
   * file system stamps with the real clock: never a test's fake clock.
   */
  wallNow?: () => number;
  /** Join the lines of one event into one line (see multiline.ts): one joiner per file. */
  multiline?: CompiledMultiline;
  /**
   * Most files held open at once (default 512). Past it, files read to their end are closed and
   * reopened by path and identity when a scan sees them change, and new files wait for a handle
   * (counted in `deferredFiles`). Lowered by itself, with room to spare, when the system refuses
   * an open (EMFILE), so state can always be saved.
   */
  maxOpenFiles?: number;
  /**
   * Lines as blocks of bytes (ReadResult.blocks), not decoded here: the pipeline parses in worker
   * threads. Not with `multiline`, whose joiner reads the lines' text.
   */
  lineBlocks?: boolean | BlockBuffers;
}

export interface ReadResult {
  lines: RawLine[];
  /** With `lineBlocks`: every line read, as bytes (and `lines` is empty). */
  blocks: LineBlock[];
  marks: Mark[];
  /** Bytes read: more than 0 with no lines while in the middle of a long line. */
  bytes: number;
}

const TAIL_WINDOW = 64 * 1024;
/**
 * How coarse a modification time may be: Deno's stat gives whole milliseconds, Linux stamps files with
 * a clock that ticks every few ms, HFS+ and ext3 keep seconds, FAT two. A file looked at within this of
 * its modification time may be written again, even rewritten to the same size, keeping that time.
 */
const MTIME_GRANULARITY_MS = 2000;
/** Closed files remembered (identity and position), so one that comes back resumes where it was. */
const CLOSED_MEMORY = 4096;

export class Tailer {
  readonly stats: TailStats = createStats();
  /** Problems to report once (a saved file that is gone). */
  readonly problems: string[] = [];
  readonly #o: TailerOptions;
  readonly #files = new Map<string, Tracked>();
  readonly #chunk: Uint8Array;
  readonly #split: SplitLine[] = [];
  readonly #joined: JoinedLine[] = [];
  /** With `lineBlocks`: the block being built, and the blocks made by the current read. */
  readonly #block: LineBlockBuilder | undefined;
  #blocks: LineBlock[] = [];
  #blockLines = 0;
  /** Events flushed from a file retired outside a read: delivered by the next read. */
  #orphans: RawLine[] = [];
  /** The earlier run's positions, matched to the files there now at the first scan (restart.ts). */
  readonly #restart: SavedPositions;
  /** The bounded set of open handles, and the files waiting for one (open-files.ts). */
  readonly #handles: OpenFiles;
  /** New files under the globs that are copies of a file followed (same first bytes): adopted at its truncation, never read from 0. */
  readonly #copies: Copies;
  /** Files closed after leaving their path: a file that comes back (same inode and first bytes) resumes there. */
  readonly #closed = new Map<string, SavedFile>();
  /** Keys under the globs at the last scan. */
  #seen = new Set<string>();
  /** Files under the globs that could not be opened, with the reason: warned once each, retried at every scan. */
  readonly #unreadable = new Map<string, string>();
  /** Gzip-compressed files under the globs, by key: not read, warned about once, skipped while they are there. */
  readonly #compressed = new Map<string, string>();
  readonly #now: () => number;
  readonly #wallNow: () => number;
  #scans = 0;

  constructor(options: TailerOptions) {
    this.#o = options;
    this.#chunk = new Uint8Array(options.chunkBytes ?? 64 * 1024);
    this.#now = options.now ?? (() => performance.now());
    this.#wallNow = options.wallNow ?? (() => Date.now());
    this.#block = options.lineBlocks && !options.multiline ? new LineBlockBuilder(options.lineBlocks === true ? undefined : options.lineBlocks) : undefined;
    this.#handles = new OpenFiles(options.fs, options.maxOpenFiles ?? 512, this.#files, this.stats);
    this.#copies = new Copies(options.fs, this.#files, this.#handles);
    this.#restart = new SavedPositions(options.fs, options.saved?.filter((f) => !f.done), this.#files, this.stats, this.problems);
    for (const f of options.saved ?? []) if (f.done) this.#closed.set(fileKey(f), f);
  }

  /**
   * Looks for new, rotated, deleted and rewritten files. Returns true when the
   * set of files changed, so the caller saves positions for new files at once
   * (a crash before their first ack must not make a restart skip them).
   */
  scan(): boolean {
    return this.#copies.duringScan(() => this.#scan());
  }

  #scan(): boolean {
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
        if (t.file && !t.rewritten) checkFingerprint(t, now.stat.size);
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
    const restart = this.#restart;
    const restarting = first && restart.pending;
    if (restarting) changed = restart.resumeCopies(seen, this.#openFile) || changed;
    // At a restart, the files with a saved position first: a copy of one of them is then known as such.
    const order = restarting ? [...seen].sort(([a], [b]) => Number(!restart.has(a)) - Number(!restart.has(b))) : seen;
    for (const [key, { path }] of order) {
      if (this.#following(key)) {
        this.#copies.forget(key);
        continue;
      }
      // A fresh start reads what is there; later, and at a restart, a copy of a file followed waits for its
      // truncation: a new file, or a saved one overwritten in place by the copy (cp over an old copy while we were down).
      const mine = first && (!restarting || (restart.has(key) && restart.holds(path, restart.get(key)!)));
      if (!mine && this.#deferCopy(key, path)) {
        if (restarting && restart.has(key)) restart.replacedWhileDown(restart.get(key)!, path);
        continue;
      }
      if (this.#compressed.has(key)) continue;
      const waiting = this.#handles.waiting.get(path);
      if (waiting ? this.#open(path, waiting.first, waiting.state, waiting.from) : this.#open(path, first)) changed = true;
    }
    this.#copies.keepOnly(seen);
    for (const key of this.#compressed.keys()) if (!seen.has(key)) this.#compressed.delete(key);
    this.stats.compressedFiles = this.#compressed.size;
    if (this.#unreadable.size > 0) {
      const paths = new Set([...seen.values()].map((f) => f.path));
      for (const path of this.#unreadable.keys()) if (!paths.has(path)) this.#unreadable.delete(path);
      this.stats.unreadableFiles = this.#unreadable.size;
    }
    if (restarting) changed = restart.finish((key) => this.#copies.waits(key), this.#openFile) || changed;
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
    this.#startBlocks();
    const marks = new Map<Tracked, Mark>();
    let bytes = 0;
    for (const [path, w] of this.#handles.waiting) this.#open(path, w.first, w.state, w.from);
    for (let progress = true; progress && lines.length + this.#blockLines < maxLines && bytes < maxBytes; ) {
      progress = false;
      for (const t of this.#files.values()) {
        if (t.done) continue;
        const n = this.#readChunk(t, lines, marks, maxLines - lines.length - this.#blockLines);
        if (n > 0) {
          progress = true;
          bytes += n;
        }
        if (lines.length + this.#blockLines >= maxLines || bytes >= maxBytes) break;
      }
    }
    return { lines, blocks: this.#takeBlocks(), marks: withLastBytes([...marks.values()]), bytes };
  }

  /**
   * Batch mode's end: the events still held, and the unfinished last lines of files that are gone
   * (flagged partial). The unfinished line of a file still there is not emitted: it and the event it
   * may join stay unacknowledged, so the next run resumes before them and emits them once, whole.
   */
  unfinished(): ReadResult {
    const lines: RawLine[] = this.#orphans.splice(0);
    this.#startBlocks();
    const marks: Mark[] = [];
    for (const t of this.#files.values()) {
      if (t.done) continue;
      const before = lines.length + this.#blockLines;
      if (t.state !== "active") {
        this.#flushSplitter(t, lines);
        this.#flushJoiner(t, lines);
      } else if (t.splitter.pendingBytes === 0) this.#flushJoiner(t, lines);
      else this.stats.leftUnfinished++; // Said in the summary: the next run reads it once its newline (or the file's end) comes.
      if (lines.length + this.#blockLines > before) marks.push({ file: t, gen: t.gen, end: (t.sent = t.joiner?.held ?? t.splitter.position) });
    }
    return { lines, blocks: this.#takeBlocks(), marks: withLastBytes(marks), bytes: 0 };
  }

  /** The sinks have written the batch these marks came with. */
  ack(marks: readonly Mark[]): void {
    for (const mark of marks) {
      const file = mark.gen === mark.file.gen ? mark.file : mark.file.handedTo?.gen === mark.gen ? mark.file.handedTo.copy : undefined;
      if (!file) continue;
      if (mark.end > file.acked) (file.acked = mark.end), (file.ackedLast = mark.last);
      if (file.done && file.acked >= file.sent && this.#files.get(file.key) === file) this.#files.delete(file.key);
    }
  }

  /** Positions to save: acked offsets only. */
  saved(): SavedFile[] {
    // A file retired because its inode was overwritten (its key suffixed) only waits for acks: its content is gone.
    const followed = [...this.#files.values()].filter((t) => t.key === fileKey(t));
    const files: SavedFile[] = followed.map((t) => ({
      path: t.path, dev: t.dev, ino: t.ino, fingerprint: t.fp, offset: t.acked, ...(t.acked > 0 && t.ackedLast ? { lastBytes: t.ackedLast } : {}), read: t.sent, size: t.size, ...(t.copy ? { copy: true } : {}),
    }));
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
      files.push({ id: opaqueId(path), path, position: 0, size, lag: size, state: "unreadable", error });
    }
    return files;
  }

  /** Handles held open right now (at most maxOpenFiles). */
  get openFiles(): number {
    return this.#handles.count;
  }

  /** Whether `path` is the path of a file followed (not one rotated away from it). */
  follows(path: string): boolean {
    for (const t of this.#files.values()) if (t.path === path && t.state === "active") return true;
    return false;
  }

  /** Whether every open file has been read to its last known size. */
  get caughtUp(): boolean {
    if (this.#handles.waiting.size > 0) return false;
    for (const t of this.#files.values()) if (!t.done && (t.size > t.splitter.next || t.stale)) return false;
    return true;
  }

  /** Directories worth watching for hints. */
  directories(): string[] {
    return [...new Set([...this.#o.include.map((g) => g.base), ...[...this.#files.values()].map((t) => dirname(t.path))])];
  }

  close(): void {
    for (const t of this.#files.values()) this.#handles.release(t);
  }

  /**
   * The system refused a descriptor elsewhere (saving state, a sink): hold fewer files, with room
   * to spare, closing files read to their end now.
   */
  shed(): void {
    this.#handles.shed();
  }

  #matching(): Seen {
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

  #openFile = (path: string, first: boolean, state: TailedFile["state"], from?: SavedFile): boolean => this.#open(path, first, state, from);

  #open(path: string, first: boolean, state: TailedFile["state"] = "active", from?: SavedFile): boolean {
    const file = this.#handles.open(path);
    if (file === "full") {
      const stat = this.#o.fs.stat(path);
      this.#handles.wait(path, { first, state, from: from ?? (stat ? this.#restart.get(fileKey(stat)) : undefined) });
      return false;
    }
    this.#handles.waited(path);
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
    if (this.#following(key)) {
      this.#handles.close(file);
      return false;
    }
    if (isGzip(file, real.size)) {
      // Read as text it would be binary garbage, or one endless last line waiting for its newline.
      this.#handles.close(file);
      this.#compressed.set(key, path);
      this.stats.compressedFiles = this.#compressed.size;
      this.problems.push(`${path} is gzip-compressed and is not read: exclude it from the globs (-x '*.gz'); its lines were in the file it was compressed from`);
      return false;
    }
    this.#setAside(key);
    const saved = from ?? this.#restart.get(key);
    const closed = this.#closed.get(key);
    this.#closed.delete(key);
    let start = 0;
    let replayUntil = 0;
    let headCut = false;
    let copy = false;
    if (saved && saved.offset <= real.size && fingerprintMatches(file, saved.fingerprint) && matchesBefore(file, saved.offset, saved.lastBytes)) {
      start = saved.offset;
      replayUntil = saved.read;
      if (saved.copy) (copy = true), (state = "rotated");
    } else if (saved) {
      this.stats.truncations++; // Same inode, other content: truncated, rewritten or the inode reused while we were down.
      // Nothing acked (offset 0) yet known to hold bytes (read or size > 0): those are lost too.
      if (!this.#restart.foundInCopy(key) && heldBytes(saved)) {
        this.stats.truncatedWhileDown++;
        this.problems.push(`${path} was truncated or replaced while the collector was down (saved at byte ${saved.offset}) and no copy of it is beside it: whatever it held past that byte is lost`);
      }
    } else if (closed && closed.offset <= real.size && fingerprintMatches(file, closed.fingerprint) && matchesBefore(file, closed.offset, closed.lastBytes)) {
      start = closed.offset; // A file that left its path (a folder moved away) and came back: the same file.
      copy = closed.copy === true; // A copy closed once read, still under the globs: still a copy (overwritten by the next one), left open.
    } else if (first && !this.#o.saved && !this.#o.fromBeginning) {
      ({ start, headCut } = lineBoundaryNearEnd(file, real.size, this.#o.maxLineBytes));
    }
    const t: Tracked = {
      key, id: opaqueId(key), path, dev: real.dev, ino: real.ino, file,
      fp: fingerprint(file, real.size), splitter: new LineSplitter(start, this.#o.maxLineBytes), size: real.size, mtime: real.mtimeMs, mtimeSeenAt: this.#wallNow(),
      state, leftAt: this.#scans, leftAtMs: this.#now(), gen: 0, acked: start, ...(start > 0 && start === saved?.offset && saved.lastBytes ? { ackedLast: saved.lastBytes } : {}),
      sent: start, replayUntil, rewritten: false, done: false, headCut,
      joiner: this.#joiner(), ...(copy ? { copy } : {}),
      // Judged at the scan while shorter than a fingerprint: maybe a copy not filled yet.
      ...(!first && !saved && !closed && real.size < FINGERPRINT_BYTES ? { unjudged: true } : {}),
    };
    this.#files.set(key, t);
    this.stats.filesOpened++;
    if (state !== "active" && !copy) this.stats.rotations++;
    return true;
  }

  /** Reads one chunk of `t`; returns the bytes read. With blocks, takes at most `room` lines of it (and counts the bytes taken). */
  #readChunk(t: Tracked, lines: RawLine[], marks: Map<Tracked, Mark>, room: number): number {
    if (t.parked && !(t.stale && this.#unpark(t))) return 0;
    const file = t.file!;
    const stat = file.stat();
    const size = stat.size;
    // When the file changed since it was last looked at (its size or its modification time), the first
    // bytes are checked (one 1 KiB pread): a file truncated and written again past our position, or
    // overwritten in place to the same size (cp over an old copy), must not be read from the middle of
    // its new content. A backlog that stays as it is is read without (a check per 64 KiB read before).
    // But unchanged in size and modification time is no proof while that time is within its granularity
    // of the last look ("racily clean", as git says): a copytruncate refilled to the same size between two
    // reads keeps it (found by the model test on Deno, whose times are whole ms); such a backlog is checked,
    // and so is a file read to its end: a copy overwritten in place by the next copytruncate to the same
    // size within the same millisecond (Deno, a loaded machine) was taken for the copy already read, and
    // its lines were lost.
    // The check comes after the read (below): done before, a copytruncate and new lines landing between
    // it and the read (a collector held up on a loaded machine) had the new lines taken for the rest of
    // the old ones, and the copy then adopted at a position in the new content (its lines lost).
    const racy = size >= t.splitter.next && size > 0 && t.mtime > t.mtimeSeenAt - MTIME_GRANULARITY_MS;
    const check = !t.rewritten && (size !== t.size || size < t.fp.length || stat.mtimeMs !== t.mtime || racy);
    t.mtime = stat.mtimeMs;
    t.mtimeSeenAt = this.#wallNow();
    // A young fingerprint (under 1 KiB) grows before the read, so it describes the bytes read; grown after,
    // it could take a copytruncate's new content for this file's. The check after the read confirms it.
    if (check && t.fp.length < FINGERPRINT_BYTES) checkFingerprint(t, size);
    if (t.unjudged && size > 0) {
      // A new file seen (nearly) empty has bytes now: if they are a followed file's first bytes, it is that
      // file's copy (cp had created it, not filled it yet), which waits for the truncation (next scan).
      // One that left the globs meanwhile is read as it is (no scan would judge it again).
      t.unjudged = false;
      if (t.state === "active" && this.#copies.copyOf(t.path, t, file)) {
        this.#retire(t);
        return 0;
      }
    }
    if (t.copy && (t.rewritten || size < t.splitter.next)) {
      // A copy overwritten in place by the next copytruncate: the next truncation adopts the new one.
      // Under the globs, it is at once a new file (deferred if it copies a file followed).
      const { key, path } = t;
      this.stats.bytesLost += unreadBytes(t);
      this.#retire(t);
      if (this.#o.include.some((g) => g.matches(path)) && !this.#o.exclude?.some((g) => g.matches(path)) && !this.#deferCopy(key, path)) this.#open(path, false);
      return 0;
    }
    if ((t.rewritten || size < t.splitter.next) && this.#copies.copyOf(t.path, t, file)) {
      // Overwritten in place by a copy of another file followed (cp over an old copy): that copy waits for its truncation.
      this.stats.bytesLost += unreadBytes(t);
      this.#retire(t);
      return 0;
    }
    const truncated = t.rewritten || size < t.splitter.next;
    if (truncated) {
      this.#startOver(t, size, this.#adoptCopy(t), lines);
      t.size = size;
    }
    const next = t.splitter.next;
    const wanted = size > next ? Math.min(this.#chunk.length, size - next) : 0;
    const n = wanted > 0 ? file.read(this.#chunk.subarray(0, wanted), next) : 0;
    // Fewer bytes than the stat promised: the file shrank since (truncated, maybe written again), so it is
    // checked even when the stat said it had not changed. Free: no system call unless that happens.
    if (check || n < wanted) {
      checkFingerprint(t, n < wanted ? file.stat().size : size);
      // Rewritten, before the read or during it: what was read may be new content. Read again from where the rewrite puts us (once: the flag is handled above).
      if (t.rewritten) return this.#readChunk(t, lines, marks, room);
    }
    if (!truncated) this.#noteSize(t, size);
    if (n <= 0) {
      // At the end of the file: an event whose next line is late may leave (a line already in the file has arrived).
      if (t.joiner) this.#expire(t, lines, marks);
      if (t.state !== "active" && this.#scans > t.leftAt && this.#now() - t.leftAtMs >= (this.#o.closeAfterMs ?? 1000)) this.#finish(t, lines, marks);
      return 0;
    }
    if (this.#block && !t.joiner) {
      // Lines past the room are read again by the next read: a batch holds at most its lines (the kill -9 bound).
      const taken = t.splitter.pushBlock(this.#chunk.subarray(0, n), this.#block, Math.max(1, room));
      this.stats.bytes += taken;
      if (this.#endBlock(t) > 0) this.#mark(t, marks);
      return taken;
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

  /** The file's unfinished line, if any, flagged partial: to the output (or the joiner). */
  #flushSplitter(t: Tracked, lines: RawLine[]): void {
    if (this.#block && !t.joiner) {
      t.splitter.flushBlock(this.#block);
      this.#endBlock(t);
      return;
    }
    const held: SplitLine[] = [];
    t.splitter.flush(held);
    for (const line of held) this.#take(t, line, lines);
  }

  #startBlocks(): void {
    this.#blocks = [];
    this.#blockLines = 0;
  }

  #takeBlocks(): LineBlock[] {
    const blocks = this.#blocks;
    this.#startBlocks();
    return blocks;
  }

  /**
   * The lines the splitter gave the block since the last one: counted as #count counts a line, and
   * out as one block. Returns how many.
   */
  #endBlock(t: Tracked): number {
    const block = this.#block!;
    const n = block.count;
    if (n === 0) return 0;
    if (t.headCut) (t.headCut = false), block.markTruncated(0);
    this.stats.truncatedLines += block.truncated;
    this.stats.partialLines += block.partial;
    // A line's end is the next one's offset (a file's lines are back to back); the last one's, where the splitter is.
    if (t.replayUntil > block.firstOffset) {
      for (let i = 0; i < n; i++) if ((i + 1 < n ? block.offset(i + 1) : t.splitter.position) <= t.replayUntil) this.stats.replayed++;
    }
    this.stats.lines += n;
    this.#blocks.push(block.finish({ file: t.path }, t.mtime)!);
    this.#blockLines += n;
    return n;
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
  #startOver(t: Tracked, size: number, copy: Tracked | undefined, lines: RawLine[]): void {
    this.stats.truncations++;
    if (copy) {
      // The copy carries on from our position (and holds the unfinished line and event); lost is only what it lacks.
      this.stats.bytesLost += Math.max(0, t.size - copy.size);
      t.splitter = new LineSplitter(0, this.#o.maxLineBytes);
      t.joiner = this.#joiner();
    } else {
      // A copy seen waiting and gone since (the next copy wrote over it) showed what the content held.
      this.stats.bytesLost += unreadBytes(t) + Math.max(0, (t.copiedSize ?? 0) - Math.max(t.size, t.splitter.next));
      t.before = { fp: t.fp, gen: t.gen, position: t.splitter.position };
      t.splitter.reset(0);
      // The events held were read whole before the truncation: they leave (their acks no longer move the new position).
      this.#flushJoiner(t, lines);
    }
    t.gen++;
    t.copiedSize = undefined;
    t.acked = t.sent = t.replayUntil = 0;
    t.ackedLast = undefined;
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
    const found = this.#copies.find(t);
    if (!found) return undefined;
    const { key, path, stat, file, earlier } = found;
    // An earlier copy under this name, overwritten in place by this one: what it held unread is lost.
    // Or this copy itself, seen before cp filled it and not read yet: nothing is lost.
    if (earlier) {
      if (!earlier.unjudged) this.stats.bytesLost += unreadBytes(earlier);
      this.#retire(earlier);
    }
    const copy: Tracked = {
      ...t, key, id: opaqueId(key), path, dev: stat.dev, ino: stat.ino, file, size: stat.size,
      state: "rotated", leftAt: this.#scans, leftAtMs: this.#now(), gen: 0, replayUntil: 0, rewritten: false, done: false, copy: true, handedTo: undefined, unjudged: false, copiedSize: undefined,
    };
    this.#files.set(key, copy);
    t.handedTo = { gen: t.gen, copy };
    this.stats.filesOpened++;
    this.stats.copiesFollowed++;
    return copy;
  }

  /** Whether the file with `key` is followed (not one read to its end that only waits for acks). */
  #following(key: string): boolean {
    const t = this.#files.get(key);
    return t !== undefined && !t.done;
  }

  /**
   * A file closed (read to its end) keeps its key until its last batch is acked, but its inode, once
   * deleted and closed, may already be a new file's (ext4 reuses freed inodes at once: the next
   * app.log of a rename rotation). That new file is followed under the key; the closed one waits
   * for its acks under another, like a retired one.
   */
  #setAside(key: string): void {
    const t = this.#files.get(key);
    if (!t?.done) return;
    this.#files.delete(key);
    t.key = `${key}~reused${this.stats.filesOpened}`;
    this.#files.set(t.key, t);
  }

  /** Stops following `t` at once, keeping it (under another key) until its last batch is acked. */
  #retire(t: Tracked): void {
    this.#flushJoiner(t, this.#orphans);
    this.#handles.release(t);
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
    const before = lines.length + this.#blockLines;
    this.#flushSplitter(t, lines);
    this.#flushJoiner(t, lines);
    if (lines.length + this.#blockLines > before) this.#mark(t, marks);
    // What a new file given this inode must hold before that offset to be this file come back (not one replacing it).
    const last = t.file && t.splitter.next > 0 ? hashBefore(t.file, t.splitter.next) : undefined;
    this.#handles.release(t);
    t.done = true;
    this.stats.filesClosed++;
    if (t.acked >= t.sent) this.#files.delete(t.key);
    this.#remember(t, last);
  }

  #remember(t: Tracked, lastBytes: Fingerprint | undefined): void {
    this.#closed.delete(t.key);
    this.#closed.set(t.key, { path: t.path, dev: t.dev, ino: t.ino, fingerprint: t.fp, offset: t.splitter.next, ...(lastBytes ? { lastBytes } : {}), read: t.splitter.next, size: t.size, ...(t.copy ? { copy: true } : {}) });
    if (this.#closed.size > CLOSED_MEMORY) this.#closed.delete(this.#closed.keys().next().value!);
  }

  /**
   * A new file under the globs with the first bytes of a file followed beside it is a copy of it
   * (copytruncate's copy): reading it from 0 would read again what was read. It waits for that
   * file's truncation, which adopts it (#adoptCopy), or is opened where that file had been read
   * (see Copies.judge). Returns whether `path` is such a copy.
   */
  #deferCopy(key: string, path: string): boolean {
    const verdict = this.#copies.judge(key, path);
    if (verdict === undefined) return false;
    if (verdict !== "waits") this.#open(path, false, "active", verdict);
    return true;
  }

  /** Reopens a parked file that changed; one gone while closed is done, and what a scan saw in it past the read position is lost. */
  #unpark(t: Tracked): boolean {
    const result = this.#handles.unpark(t);
    if (result === "gone") {
      this.stats.bytesLost += unreadBytes(t);
      t.done = true;
      this.stats.filesClosed++;
      if (t.acked >= t.sent) this.#files.delete(t.key);
    }
    return result === "reopened";
  }
}

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

/**
 * Each mark with the hash of the bytes before its end (SavedFile.lastBytes), read right after the
 * lines it ends: what a restart must find there to resume at it. Hashed later, at a save, the bytes
 * could be a copytruncate's new content, and the copy that holds the lines read would not match.
 */
function withLastBytes(marks: Mark[]): Mark[] {
  for (const mark of marks) {
    const file = mark.file.file;
    if (mark.end > 0 && file) mark.last = hashBefore(file, mark.end);
  }
  return marks;
}
