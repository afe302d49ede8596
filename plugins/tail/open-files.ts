/**
 * The tailer's bounded set of open files. At most `max` handles are held: past it, files read to
 * their end are closed ("parked", still followed) and reopened by path and identity once a scan
 * sees them change; a file no handle can be found for waits (counted in `deferredFiles`). When
 * the system refuses an open (EMFILE, ENFILE) the budget drops below what is held, with room to
 * spare, so state saves, sinks and watchers still get descriptors.
 */
import { dirname, join } from "node:path";
import type { FileSystem, ReadFile } from "../../core/mod.ts";
import type { SavedFile } from "./checkpoint.ts";
import type { TailedFile } from "./events.ts";
import { fileKey } from "./identity.ts";
import type { TailStats } from "./tail-stats.ts";
import type { Tracked } from "./tracked.ts";

/** Descriptors kept free under the system's limit once it was hit: state saves, sinks, watchers. */
export const DESCRIPTOR_HEADROOM = 32;

/** A file waiting for a handle: how it is to be opened once one is free. */
export interface WaitingFile {
  /** Seen at the first scan (so it starts at its end unless read from the beginning). */
  first: boolean;
  state: TailedFile["state"];
  from: SavedFile | undefined;
}

/** What reopening a parked file came to: "gone" when its inode is nowhere beside its path (the caller counts the loss). */
export type Unparked = "reopened" | "full" | "gone";

export class OpenFiles {
  /** Files waiting for a handle, by path. */
  readonly waiting = new Map<string, WaitingFile>();
  readonly #fs: FileSystem;
  readonly #followed: ReadonlyMap<string, Tracked>;
  readonly #stats: Pick<TailStats, "filesParked" | "deferredFiles">;
  #max: number;
  #count = 0;

  /** `followed`: the tailer's files, oldest first, among which files to park are chosen. */
  constructor(fs: FileSystem, max: number, followed: ReadonlyMap<string, Tracked>, stats: Pick<TailStats, "filesParked" | "deferredFiles">) {
    this.#fs = fs;
    this.#max = Math.max(1, max);
    this.#followed = followed;
    this.#stats = stats;
  }

  /** Handles held open right now. */
  get count(): number {
    return this.#count;
  }

  /** The budget now: the configured most, or less once the system refused a descriptor. */
  get max(): number {
    return this.#max;
  }

  /** A handle on `path` within the budget (parking a file other than `except` if need be); "full" when none can be had. */
  open(path: string, except?: Tracked): ReadFile | Error | "full" {
    if (!this.#makeRoom(except)) return "full";
    try {
      const file = this.#fs.openRead(path);
      this.#count++;
      return file;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EMFILE" && code !== "ENFILE") return error as Error;
      // The system's limit is lower than ours: keep room under it for state saves and the sinks.
      if (this.#max > this.#count - DESCRIPTOR_HEADROOM) this.shed();
      return "full";
    }
  }

  close(file: ReadFile): void {
    file.close();
    this.#count--;
  }

  /** Closes `t`'s handle, if it holds one, for good (it is no longer parked). */
  release(t: Tracked): void {
    if (t.file) this.close(t.file);
    t.file = undefined;
    t.parked = t.stale = false;
  }

  /**
   * The system refused a descriptor elsewhere (saving state, a sink): hold fewer files, with room
   * to spare, closing files read to their end now.
   */
  shed(): void {
    this.#max = Math.max(1, this.#count - DESCRIPTOR_HEADROOM);
    this.#makeRoom(undefined, true);
  }

  /** `path` waits for a handle. */
  wait(path: string, how: WaitingFile): void {
    this.waiting.set(path, how);
    this.#stats.deferredFiles = this.waiting.size;
  }

  /** `path` no longer waits (it got a handle, or cannot be opened at all). */
  waited(path: string): void {
    this.waiting.delete(path);
    this.#stats.deferredFiles = this.waiting.size;
  }

  /** Reopens a parked file that changed, by path and identity; one that left its path meanwhile is looked for beside it. */
  unpark(t: Tracked): Unparked {
    const dir = dirname(t.path);
    const paths = [t.path, ...this.#fs.readDir(dir).map((name) => join(dir, name)).filter((p) => p !== t.path)];
    for (const path of paths) {
      const stat = this.#fs.stat(path);
      if (!stat?.isFile || fileKey(stat) !== t.key) continue;
      const file = this.open(path, t);
      if (file === "full") return "full";
      if (file instanceof Error) break;
      if (fileKey(file.stat()) !== t.key) {
        this.close(file);
        break;
      }
      t.file = file;
      t.path = path;
      t.parked = t.stale = false;
      return "reopened";
    }
    t.parked = t.stale = false;
    return "gone";
  }

  /**
   * Closes files followed (oldest first; those read to their end first, then, when `any`, those with
   * bytes left, which are reopened to read them) until one more handle fits; false when none can be.
   * Never parked: rotated files and copies (they cannot be found by path), files seen rewritten.
   */
  #makeRoom(except?: Tracked, any = false): boolean {
    for (const drainedOnly of any ? [true, false] : [true]) {
      if (this.#count < this.#max) return true;
      for (const t of this.#followed.values()) {
        if (t === except || !t.file || t.done || t.copy || t.rewritten || t.state !== "active" || (drainedOnly && t.size > t.splitter.next)) continue;
        this.close(t.file);
        t.file = undefined;
        t.parked = true;
        t.stale = t.size > t.splitter.next;
        this.#stats.filesParked++;
        if (this.#count < this.#max) return true;
      }
    }
    return this.#count < this.#max;
  }
}
