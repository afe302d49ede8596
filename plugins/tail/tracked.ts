/**
 * A file the tailer follows: its identity (device+inode and first bytes, TAILING.md rule 1), its
 * handle (undefined while parked), its read and acknowledged positions, and what it is now
 * (active, rotated away, a copytruncate copy, truncated).
 */
import type { LineSplitter, ReadFile } from "../../core/mod.ts";
import type { TailedFile } from "./events.ts";
import { fingerprint, fingerprintMatches, FINGERPRINT_BYTES, hashBytes, type Fingerprint } from "./identity.ts";
import type { LineJoiner } from "./multiline.ts";

export interface Tracked {
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
  /** Wall-clock time (ms) of the look that saw `mtime`: within the time's granularity of it, a change may keep it. */
  mtimeSeenAt: number;
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
  /**
   * Opened new, with too few bytes to tell whether it copies a file followed (cp creates the copy, then
   * fills it): judged again at its first read with bytes, before any is taken (see Tailer#readChunk).
   */
  unjudged?: boolean;
  /**
   * What it was before its last truncation taken without a copy: a copy of that content found later
   * (missed by the look at the truncation, e.g. renamed meanwhile) is continued from `position`.
   */
  before?: { fp: Fingerprint; gen: number; position: number };
  /** The hash of the bytes before `acked` as they were read (SavedFile.lastBytes), set with it. */
  ackedLast?: Fingerprint;
  /**
   * The largest size a copy of this generation's content was seen with while it waited for the truncation
   * (see Copies.judge): the content was that long, so a truncation that finds no copy counts it lost.
   */
  copiedSize?: number;
  /** A copytruncate copy followed in place of the truncated file (see copies.ts). */
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

/** Where a batch left a file: acked, it moves the file's saved position (if `gen` is still the file's). */
export interface Mark {
  file: Tracked;
  gen: number;
  end: number;
  /** The hash of the bytes before `end`, read with the lines (see SavedFile.lastBytes). */
  last?: Fingerprint;
}

const encoder = new TextEncoder();

/** The opaque id `tail:files` reports for a key or path (the web interface never takes a path). */
export const opaqueId = (keyOrPath: string): string => hashBytes(encoder.encode(keyOrPath)).slice(0, 12);

/** Bytes a scan saw in `t` that were never read, with the start of its unfinished line: lost if `t` goes now. */
export const unreadBytes = (t: Tracked): number => Math.max(0, t.size - t.splitter.next) + t.splitter.pendingBytes;

/** Checks `t`'s first bytes against its open handle: changed (or shorter) means rewritten; a young file's fingerprint grows. */
export function checkFingerprint(t: Tracked, size: number): void {
  if (size < t.fp.length || !fingerprintMatches(t.file!, t.fp)) {
    t.rewritten = true;
    return;
  }
  if (t.fp.length < FINGERPRINT_BYTES && size > t.fp.length) t.fp = fingerprint(t.file!, size);
}

/** Whether `file` (the inode `t` follows) still starts with `t`'s first bytes and is as long as what was read of it. */
export const holdsOwn = (file: ReadFile, t: Tracked): boolean => file.stat().size >= t.splitter.next && fingerprintMatches(file, t.fp);
