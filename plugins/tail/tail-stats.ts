/** What the tailer counts; every line it does not deliver is here with its reason (TAILING.md rule 12). */
import type { JoinStats } from "./multiline.ts";

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
  /** Gzip-compressed files under the globs (logrotate's `compress`), not read: named in a warning once each. */
  compressedFiles: number;
  /** Files read to their end closed to stay under maxOpenFiles, and reopened when they changed. */
  filesParked: number;
}

export const createStats = (): TailStats => ({
  lines: 0, bytes: 0, truncatedLines: 0, partialLines: 0, leftUnfinished: 0, truncations: 0, bytesLost: 0, rotations: 0, copiesFollowed: 0, filesOpened: 0, filesClosed: 0, replayed: 0, missingFiles: 0, truncatedWhileDown: 0, unreadableFiles: 0, deferredFiles: 0, compressedFiles: 0, filesParked: 0,
  joinedEvents: 0, joinedLines: 0, cutEvents: 0,
});
