/**
 * copytruncate, seen live: a file beside a followed one that starts with its first bytes is a copy
 * of it. A copy that appears under the globs must not be read from 0 (that reads again what was
 * read): it waits for the truncation of the file it copies, which then follows it from the read
 * position on (see Tailer's adoption), or is opened where that file had been read.
 */
import { dirname, join } from "node:path";
import type { FileStat, FileSystem, ReadFile } from "../../core/mod.ts";
import type { SavedFile } from "./checkpoint.ts";
import { fileKey, fingerprint, fingerprintMatches, FINGERPRINT_BYTES, Head, holdsAt, type Fingerprint } from "./identity.ts";
import type { OpenFiles } from "./open-files.ts";
import { checkFingerprint, holdsOwn, type Tracked } from "./tracked.ts";

/** A copy of a followed file: the first bytes it was matched on, and where that file had been read (in generation `gen`). */
export interface CopyMatch {
  path: string;
  of: Tracked;
  fp: Fingerprint;
  gen: number;
  position: number;
}

/** The copy beside a truncated file, opened; `earlier` is what was followed under its key (an older copy it overwrote). */
export interface FoundCopy {
  key: string;
  path: string;
  stat: FileStat;
  file: ReadFile;
  earlier: Tracked | undefined;
}

export class Copies {
  /** Copies under the globs waiting for the truncation of the file they copy, by key. */
  readonly #waiting = new Map<string, CopyMatch>();
  readonly #fs: FileSystem;
  readonly #files: ReadonlyMap<string, Tracked>;
  readonly #handles: OpenFiles;

  constructor(fs: FileSystem, files: ReadonlyMap<string, Tracked>, handles: OpenFiles) {
    this.#fs = fs;
    this.#files = files;
    this.#handles = handles;
  }

  /** During a scan: the files followed whose first bytes copyOf has learned in it. */
  #learned: Set<Tracked> | undefined;

  /** Runs a scan of the tailer: what copyOf learns of the files followed holds until it ends. */
  duringScan<T>(scan: () => T): T {
    this.#learned = new Set();
    try {
      return scan();
    } finally {
      this.#learned = undefined;
    }
  }

  /** Whether the file with `key` is a copy waiting for a truncation. */
  waits(key: string): boolean {
    return this.#waiting.has(key);
  }

  /** The file with `key` is followed: it no longer waits. */
  forget(key: string): void {
    this.#waiting.delete(key);
  }

  /** Copies no longer under the globs (`seen`, by key) no longer wait. */
  keepOnly(seen: ReadonlyMap<string, unknown>): void {
    for (const key of this.#waiting.keys()) if (!seen.has(key)) this.#waiting.delete(key);
  }

  /**
   * Whether the new file `key` at `path` is a copy of a file followed: undefined when it is not;
   * "waits" while that file has not been truncated since the copy; otherwise (that file was
   * truncated without adopting it, or closed) where to open it: where that file had been read
   * when the copy was made. A copy that was matched before is matched again against what the
   * file it copies holds now if that file was truncated meanwhile (a copy of its new content).
   */
  judge(key: string, path: string): "waits" | SavedFile | undefined {
    let pending = this.#waiting.get(key);
    // Overwritten in place by a later copy (cp over it again): that is a new copy, of what is there now.
    if (pending && !holdsAt(this.#fs, path, pending.fp)) pending = undefined;
    if (pending && !pending.of.done && pending.of.gen !== pending.gen) pending = this.copyOf(path) ?? pending;
    const match = pending ?? this.copyOf(path);
    if (!match) {
      this.#waiting.delete(key);
      return undefined;
    }
    if (!match.of.done && match.of.gen === match.gen) {
      this.#waiting.set(key, match);
      // What the copy shows the content held: lost if the copy is overwritten before the truncation adopts it.
      match.of.copiedSize = Math.max(match.of.copiedSize ?? 0, this.#fs.stat(path)?.size ?? 0);
      return "waits";
    }
    this.#waiting.delete(key);
    const size = this.#fs.stat(path)?.size ?? 0;
    return { path, dev: 0, ino: 0, fingerprint: match.fp, offset: Math.min(match.position, size), read: 0 };
  }

  /**
   * The file followed that the file at `path` is a copy of: it starts with that file's first bytes,
   * or, for a file truncated and written again since the last look, with what it holds now (a copy
   * of its new content, to be read from that content's start). Only active files beside `path`.
   * With `file` (`self`'s handle), its bytes are compared, not whatever is at `path` now (`self` may
   * have left it).
   */
  copyOf(path: string, self?: Tracked, file?: ReadFile): CopyMatch | undefined {
    const dir = dirname(path);
    let head: Head | undefined; // Read at the first comparison, once for all the files followed.
    const holds = (fp: Fingerprint) => (head ??= file ? Head.of(file) : Head.at(this.#fs, path)).holds(fp);
    for (const t of this.#files.values()) {
      if (t === self || t.done || t.copy || !t.file || t.state !== "active" || dirname(t.path) !== dir) continue;
      // First bytes not all known yet (a young file, or one just truncated and written again): learn them now, or a copy made since looks unrelated.
      // Once a scan: a scan judges every file waiting for a handle, against every file followed.
      if (t.fp.length < FINGERPRINT_BYTES && !t.rewritten && !this.#learned?.has(t)) {
        checkFingerprint(t, t.file.stat().size);
        this.#learned?.add(t);
      }
      if (t.fp.length > 0 && holds(t.fp)) return { path, of: t, fp: t.fp, gen: t.gen, position: t.splitter.position };
      if (t.rewritten) {
        const now = fingerprint(t.file, t.file.stat().size);
        if (now.length > 0 && holds(now)) return { path, of: t, fp: now, gen: t.gen, position: 0 };
      }
      // A copy of what it held before its last truncation, which did not find it: of an older generation (judge opens it at `position`).
      if (t.before && t.before.fp.length > 0 && holds(t.before.fp)) return { path, of: t, fp: t.before.fp, gen: t.before.gen, position: t.before.position };
    }
    return undefined;
  }

  /**
   * `t` was truncated: the copy made before (a file beside it with its first bytes, holding at
   * least what was read of it), opened within the handle budget. A file of its own followed as
   * active and still holding what it held is not a copy, even with the same first bytes.
   */
  find(t: Tracked): FoundCopy | undefined {
    const dir = dirname(t.path);
    for (const name of this.#fs.readDir(dir)) {
      const path = join(dir, name);
      const stat = path === t.path ? undefined : this.#fs.stat(path);
      if (!stat?.isFile || stat.size < t.splitter.next || stat.size < t.fp.length) continue;
      const key = fileKey(stat);
      const earlier = this.#files.get(key);
      const file = this.#handles.open(path, t);
      if (file === "full" || file instanceof Error) continue;
      // A file followed as active can be a copy: after a restart the copy is just a file under the globs.
      // One opened empty and not read yet (unjudged) may be that copy, seen before cp filled it.
      if (!fingerprintMatches(file, t.fp) || (earlier && earlier.state === "active" && !earlier.rewritten && !earlier.unjudged && holdsOwn(file, earlier))) {
        this.#handles.close(file);
        continue;
      }
      return { key, path, stat, file, earlier };
    }
    return undefined;
  }
}
