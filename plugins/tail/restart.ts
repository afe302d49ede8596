/**
 * A restart: which file now holds each position saved by the earlier run. A saved file is resumed
 * in its own inode if that still holds what was read (same first bytes, at least as long); else in
 * a copy beside it (copytruncate while the collector was down); else in its inode under another
 * name (rotated while down). What no file holds any more is counted lost, with a problem to report.
 */
import { dirname, join } from "node:path";
import type { FileStat, FileSystem } from "../../core/mod.ts";
import { heldBytes, type SavedFile } from "./checkpoint.ts";
import type { TailedFile } from "./events.ts";
import { fileKey, holdsAt } from "./identity.ts";
import type { TailStats } from "./tail-stats.ts";
import type { Tracked } from "./tracked.ts";

/** The files under the globs at a scan, by key. */
export type Seen = ReadonlyMap<string, { path: string; stat: FileStat }>;

/** Opens `path` to be followed, resuming from `from` when given; false when it was not (no handle, gone, already followed). */
export type OpenFile = (path: string, first: boolean, state: TailedFile["state"], from?: SavedFile) => boolean;

export class SavedPositions {
  readonly #fs: FileSystem;
  readonly #files: ReadonlyMap<string, Tracked>;
  readonly #stats: TailStats;
  readonly #problems: string[];
  /** The saved files not yet matched: until the end of the first scan. */
  #saved: Map<string, SavedFile> | undefined;
  /** Saved files whose content was found in a copy (not lost). */
  readonly #copied = new Set<string>();

  /** `saved`: the earlier run's files still followed then (not `done`). */
  constructor(fs: FileSystem, saved: SavedFile[] | undefined, files: ReadonlyMap<string, Tracked>, stats: TailStats, problems: string[]) {
    this.#fs = fs;
    this.#files = files;
    this.#stats = stats;
    this.#problems = problems;
    if (saved) this.#saved = new Map(saved.map((f) => [fileKey(f), f]));
  }

  /** Whether saved positions are still being matched (the first scan has not ended). */
  get pending(): boolean {
    return this.#saved !== undefined;
  }

  /** The saved position of the file with `key`, while the first scan lasts. */
  get(key: string): SavedFile | undefined {
    return this.#saved?.get(key);
  }

  has(key: string): boolean {
    return this.#saved?.has(key) ?? false;
  }

  /** Whether the saved file with `key` was found in a copy: its inode holding something else is no loss. */
  foundInCopy(key: string): boolean {
    return this.#copied.has(key);
  }

  /** Whether the file at `path` starts with `saved`'s first bytes and has its saved offset, with its last bytes before it. */
  holds(path: string, saved: SavedFile): boolean {
    return holdsAt(this.#fs, path, saved.fingerprint, saved.offset, saved.lastBytes);
  }

  /**
   * First scan, before new files are opened: saved copies overwritten while down are dropped, and
   * saved files whose inode no longer holds what was read are resumed in a copy beside them.
   * Returns whether a file was opened.
   */
  resumeCopies(seen: Seen, open: OpenFile): boolean {
    if (!this.#saved) return false;
    let changed = false;
    for (const saved of this.#saved.values()) if (saved.copy) this.#checkSavedCopy(saved, seen);
    for (const saved of this.#saved.values()) changed = this.#resumeFromCopy(saved, seen, open) || changed;
    return changed;
  }

  /**
   * End of the first scan: the saved files not followed (nor waiting as copies) may have been
   * rotated while down: each is looked for beside its old path, or reported gone. Matching ends.
   */
  finish(isCopyWaiting: (key: string) => boolean, open: OpenFile): boolean {
    let changed = false;
    for (const saved of this.#saved?.values() ?? []) if (!this.#files.has(fileKey(saved)) && !isCopyWaiting(fileKey(saved))) changed = this.#findMoved(saved, open) || changed;
    this.#saved = undefined;
    return changed;
  }

  /**
   * The inode of a saved file now holds a copy of another file (the next copytruncate wrote over
   * it while we were down). What it held past its saved offset is lost: exactly known for a copy
   * (no longer written to), unknown otherwise. It is no longer that saved file.
   */
  replacedWhileDown(saved: SavedFile, path: string): void {
    this.#saved?.delete(fileKey(saved));
    if (saved.copy) {
      const lost = Math.max(0, (saved.size ?? saved.offset) - saved.offset);
      if (lost === 0) return;
      this.#stats.bytesLost += lost;
      this.#problems.push(`${path}, a copy read to byte ${saved.offset} of ${saved.size}, was overwritten by the next copy while the collector was down: ${lost} bytes of it were never read`);
    } else if (heldBytes(saved)) {
      this.#stats.truncatedWhileDown++;
      this.#problems.push(`${path} was replaced by a copy of another file while the collector was down (saved at byte ${saved.offset}): whatever it held past that byte is lost`);
    }
  }

  /** A saved file no longer under the globs may have been rotated while we were down: look for it beside its old path. */
  #findMoved(saved: SavedFile, open: OpenFile): boolean {
    const dir = dirname(saved.path);
    for (const name of this.#fs.readDir(dir)) {
      const path = join(dir, name);
      const stat = this.#fs.stat(path);
      if (stat?.isFile && stat.dev === saved.dev && stat.ino === saved.ino) return open(path, true, "rotated");
    }
    this.#stats.missingFiles++;
    this.#problems.push(`${saved.path} was saved at byte ${saved.offset} and is gone; whatever it held past that was not read`);
    return true;
  }

  /**
   * A saved file whose own inode no longer holds what was read (copytruncate while we were down)
   * is continued from its saved offset in the copy beside it (same first bytes, at least that
   * long), as a live copytruncate is; the truncated file itself is then read from 0.
   */
  #resumeFromCopy(saved: SavedFile, seen: Seen, open: OpenFile): boolean {
    const key = fileKey(saved);
    // Saved empty (no first bytes known): every file starts with its zero bytes, so none can be told its copy.
    if (this.#files.has(key) || saved.fingerprint.length === 0) return false;
    const dir = dirname(saved.path);
    const beside = this.#fs.readDir(dir).map((name) => ({ path: join(dir, name), stat: this.#fs.stat(join(dir, name)) }));
    // Still in its own inode (under its path or renamed beside it): resumed there, not from a copy.
    const own = seen.get(key) ?? beside.find((f) => f.stat?.isFile && fileKey(f.stat) === key);
    if (own && this.holds(own.path, saved)) return false;
    for (const { path, stat } of beside) {
      if (!stat?.isFile || stat.size < saved.offset || fileKey(stat) === key || this.#files.has(fileKey(stat))) continue;
      const itsOwn = this.#saved!.get(fileKey(stat));
      if (itsOwn && this.holds(path, itsOwn)) continue; // A file of its own, read before.
      if (!this.holds(path, saved)) continue;
      if (itsOwn) this.replacedWhileDown(itsOwn, path);
      if (!open(path, true, "rotated", saved)) continue;
      // Rotated on between the listing and the open, the path now holds another file: #open judged
      // that one by its fingerprint, and it is no copy of ours (this was a crash, found by chaos).
      const opened = this.#files.get(fileKey(stat));
      if (opened) opened.copy = true;
      this.#stats.copiesFollowed++;
      this.#copied.add(key);
      return true;
    }
    return false;
  }

  /**
   * A saved copy whose inode now holds something else was overwritten by the next copytruncate
   * while we were down. Nothing was written to it after the copy, so what it held past its saved
   * offset is known, and lost; it is no longer that saved file.
   */
  #checkSavedCopy(saved: SavedFile, seen: Seen): void {
    const key = fileKey(saved);
    const path = seen.get(key)?.path ?? saved.path;
    const stat = this.#fs.stat(path);
    if (stat?.isFile && fileKey(stat) === key && !this.holds(path, saved)) this.replacedWhileDown(saved, path);
  }
}
