/**
 * The log file chaos writes and every operation it does to it, done as the
 * tools that do them in production do (logrotate, kubelet, an operator's mv).
 * It keeps, for every data file, the seqs it holds, so each operation can say
 * which lines it put at risk: a collector that had not read them yet may
 * lose them, and that loss is the driver's, not the collector's.
 *
 * Files are tracked by the path of their data (a symlink holds no data).
 * The writer holds its file open, as an application does: rename rotation
 * and delete reopen the path (the application's reopen on SIGHUP);
 * copytruncate and truncate keep the handle (O_APPEND writes then land at
 * the new end, as a real application's do).
 */
import { closeSync, copyFileSync, existsSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";

/** Lines an operation put at risk, and why. */
export interface AtRisk {
  from: number;
  to: number;
  reason: "rotated-away" | "compressed" | "truncated" | "deleted" | "copytruncate-window" | "unlinked" | "no-newline";
  /** Milliseconds between the last write to those lines' file and the operation: a collector that lagged less could have read them. */
  ageMs: number;
}

/** What one operation did: a line for people, and the lines it put at risk. */
export interface Done {
  detail: string;
  atRisk: AtRisk[];
}

interface DataFile {
  /** Seqs held, from..to; empty when from is 0. */
  from: number;
  to: number;
  lastWriteMs: number;
  /** Its lines were reported at risk already (a .gz of a removed plain file). */
  reported?: boolean;
}

export interface LogFilesOptions {
  /** The path a collector follows. */
  path: string;
  /** Rotated generations kept (path.1 .. path.N); the oldest beyond is deleted. */
  generations: number;
  /** The followed path is a symlink to a data file in `<dir>/.chaos-targets/` (as Kubernetes' /var/log/containers links are). */
  symlink: boolean;
  /** Monotonic ms, for ages. */
  now: () => number;
}

export class LogFiles {
  readonly path: string;
  readonly #o: LogFilesOptions;
  readonly #files = new Map<string, DataFile>();
  #fd = -1;
  /** The data file the writer's handle is on (the handle outlives renames). */
  #current!: DataFile;
  #targets = 0;
  /** Seqs written after the copy of a copytruncate whose truncate is pending. */
  #windowFrom = 0;
  #copyPending = false;
  #away = false;

  constructor(o: LogFilesOptions) {
    this.#o = o;
    this.path = o.path;
    mkdirSync(dirname(o.path), { recursive: true });
    if (existsSync(o.path) || isLink(o.path)) throw new Error(`${o.path} exists already: chaos starts from a path that does not exist, so it knows every line in every file`);
    this.#createFresh();
  }

  /** The name shown in the event log: relative to the log's folder. */
  name(path: string): string {
    return relative(dirname(this.path), path) || basename(path);
  }

  /** Writes bytes to the current file; `seqs` are the lines they end (none for the first half of a slow write). */
  write(bytes: Uint8Array | string, seqs?: { from: number; to: number }): void {
    writeAll(this.#fd, typeof bytes === "string" ? Buffer.from(bytes) : bytes);
    if (seqs === undefined) return;
    const f = this.#current;
    if (f.from === 0) f.from = seqs.from;
    f.to = seqs.to;
    f.lastWriteMs = this.#o.now();
    if (this.#windowFrom === 0 && this.#copyPending) this.#windowFrom = seqs.from;
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  /** Rename rotation: path.N is deleted, path.i becomes path.i+1 (compressed ones keep .gz), path becomes path.1, a new path is created. */
  rotate(): Done {
    const n = this.#o.generations;
    const atRisk = this.#shiftGenerations();
    this.#move(this.path, `${this.path}.1`);
    this.#createFresh();
    return { detail: `${this.name(this.path)} -> ${this.name(`${this.path}.1`)} (keeps ${n} generations)${this.#deleted(atRisk)}`, atRisk };
  }

  /** `; deleted app.log.5 (seqs 1-40)` when a rotation deleted the oldest generation's lines. */
  #deleted(atRisk: readonly AtRisk[]): string {
    return atRisk.length > 0 ? `; deleted ${this.name(`${this.path}.${this.#o.generations}`)} (seqs ${atRisk.map(rangeText).join(", ")})` : "";
  }

  /** logrotate's copytruncate, first half: the file is copied to path.1 (after shifting the generations). The truncate comes later (`finishCopytruncate`). */
  startCopytruncate(): Done {
    const atRisk = this.#shiftGenerations();
    const copy = `${this.path}.1`;
    copyFileSync(this.path, copy);
    this.#files.set(copy, { ...this.#current });
    this.#copyPending = true;
    this.#windowFrom = 0;
    return { detail: `copied ${this.name(this.path)} to ${this.name(copy)} (seqs ${rangeText(this.#current)})${this.#deleted(atRisk)}`, atRisk };
  }

  /** The truncate of copytruncate: the lines written since the copy are in no file after it. */
  finishCopytruncate(): Done {
    const f = this.#current;
    const lost: AtRisk[] = this.#windowFrom > 0 ? [{ from: this.#windowFrom, to: f.to, reason: "copytruncate-window", ageMs: 0 }] : [];
    ftruncateSync(this.#fd, 0);
    this.#copyPending = false;
    this.#windowFrom = 0;
    f.from = 0;
    f.to = 0;
    return { detail: `truncated ${this.name(this.path)}${lost.length > 0 ? ` (seqs ${rangeText(lost[0]!)} written after the copy are gone)` : ""}`, atRisk: lost };
  }

  /** Truncation in place, no copy: what a collector had not read is gone. */
  truncate(): Done {
    const f = this.#current;
    const atRisk: AtRisk[] = f.from > 0 ? [{ from: f.from, to: f.to, reason: "truncated", ageMs: Math.round(this.#o.now() - f.lastWriteMs) }] : [];
    ftruncateSync(this.#fd, 0);
    f.from = 0;
    f.to = 0;
    return { detail: `${this.name(this.path)} to 0 bytes${atRisk.length > 0 ? ` (seqs ${rangeText(atRisk[0]!)})` : ""}`, atRisk };
  }

  /** Delete and recreate: the file's data goes (a collector holding it open may still read it), a new file takes the path. */
  deleteAndRecreate(): Done {
    // The data first: removing the link then finds no data behind it to report twice.
    const atRisk = this.#o.symlink ? this.#remove(this.#dataPath(), "deleted") : [];
    atRisk.push(...this.#remove(this.path, "deleted"));
    this.#createFresh();
    return { detail: `${this.name(this.path)}${atRisk.length > 0 ? ` (seqs ${atRisk.map(rangeText).join(", ")})` : ""}, created anew`, atRisk };
  }

  /**
   * Compresses the newest uncompressed rotated generation but path.1, as logrotate's `compress`
   * with `delaycompress` does (path.1 may still be written by a slow application, and read).
   * The plain file is removed: a collector that had not read it all and does not hold it open
   * can only find the rest in the .gz.
   */
  gzip(): Done {
    for (let i = 2; i <= this.#o.generations; i++) {
      const plain = `${this.path}.${i}`;
      if (!existsSync(plain)) continue;
      writeFileSync(`${plain}.gz`, gzipSync(readFileSync(plain)));
      const held = this.#files.get(plain);
      const atRisk = this.#remove(plain, "compressed");
      // The .gz holds the same lines, already reported at risk: deleting it later reports nothing more.
      if (held) this.#files.set(`${plain}.gz`, { ...held, reported: true });
      return { detail: `${this.name(plain)} -> ${this.name(`${plain}.gz`)}${atRisk.length > 0 ? ` (seqs ${atRisk.map(rangeText).join(", ")})` : ""}`, atRisk };
    }
    return { detail: `nothing to compress (no uncompressed ${this.name(this.path)}.2 or older)`, atRisk: [] };
  }

  /** Makes room for a new path.1: path.N is deleted, path.i becomes path.i+1 (from the highest there is, so 1,000 generations cost no more than 2). */
  #shiftGenerations(): AtRisk[] {
    const atRisk: AtRisk[] = [];
    const n = this.#o.generations;
    const base = basename(this.path);
    let highest = 0;
    for (const name of readdirSync(dirname(this.path))) {
      const m = name.startsWith(`${base}.`) ? /^(\d+)(\.gz)?$/.exec(name.slice(base.length + 1)) : null;
      if (m) highest = Math.max(highest, Number(m[1]));
    }
    for (let i = Math.min(highest, n); i >= 1; i--) {
      for (const suffix of ["", ".gz"]) {
        const from = `${this.path}.${i}${suffix}`;
        if (i === n) {
          if (existsSync(from) || isLink(from)) atRisk.push(...this.#remove(from, "rotated-away"));
        } else this.#move(from, `${this.path}.${i + 1}${suffix}`);
      }
    }
    return atRisk;
  }

  /** Points the followed path at a new, empty data file; the old one stays where it was, out of the path's reach. */
  symlinkSwap(): Done {
    const before = this.#o.symlink ? this.#dataPath() : undefined;
    const old = before ? this.#files.get(before) : undefined;
    this.#createFresh();
    const atRisk: AtRisk[] = old && old.from > 0 ? [{ from: old.from, to: old.to, reason: "unlinked", ageMs: Math.round(this.#o.now() - old.lastWriteMs) }] : [];
    return { detail: `${this.name(this.path)} -> ${this.name(this.#dataPath())}${before ? ` (was ${this.name(before)}${atRisk.length > 0 ? `, seqs ${rangeText(atRisk[0]!)}` : ""})` : ""}`, atRisk };
  }

  /**
   * Moves the log's folder away (to `<dir>.chaos-away`), as an operator's mv does; the writer
   * keeps writing through its handle. `moveDirBack` restores it: nothing was lost, the lines
   * written meanwhile are in the same file.
   */
  moveDirAway(): Done {
    const dir = dirname(this.path);
    renameSync(dir, `${dir}.chaos-away`);
    this.#away = true;
    return { detail: `${basename(dir)}/ -> ${basename(dir)}.chaos-away/ (the writer keeps writing into it)`, atRisk: [] };
  }

  moveDirBack(): Done {
    const dir = dirname(this.path);
    renameSync(`${dir}.chaos-away`, dir);
    this.#away = false;
    return { detail: `${basename(dir)}.chaos-away/ -> ${basename(dir)}/`, atRisk: [] };
  }

  /** Whether the folder is away: other file operations wait until it is back. */
  get away(): boolean {
    return this.#away;
  }

  /** Whether a copytruncate waits for its truncate. */
  get copytruncatePending(): boolean {
    return this.#copyPending;
  }

  /** Seqs each data file holds, by path relative to the log's folder (for the report). */
  files(): Record<string, { from: number; to: number }> {
    const out: Record<string, { from: number; to: number }> = {};
    for (const [path, f] of this.#files) out[this.name(path)] = { from: f.from, to: f.to };
    return out;
  }

  #dataPath(): string {
    return this.#o.symlink ? join(dirname(this.path), ".chaos-targets", `${basename(this.path)}.${this.#targets}`) : this.path;
  }

  /** A new empty file at the path (through a new link when symlinked), and the writer's handle on it. */
  #createFresh(): void {
    this.close();
    let data = this.path;
    if (this.#o.symlink) {
      this.#targets++;
      data = this.#dataPath();
      mkdirSync(dirname(data), { recursive: true });
      writeFileSync(data, "");
      // Re-pointed atomically: a new link beside the old one, renamed over it.
      const temp = `${this.path}.chaos-link`;
      rmSync(temp, { force: true });
      symlinkSync(relative(dirname(this.path), data), temp);
      renameSync(temp, this.path);
    }
    this.#fd = openSync(data, "a");
    this.#current = { from: 0, to: 0, lastWriteMs: this.#o.now() };
    this.#files.set(data, this.#current);
  }

  #move(from: string, to: string): void {
    if (!existsSync(from) && !isLink(from)) return;
    renameSync(from, to);
    const f = this.#files.get(from);
    if (f) {
      this.#files.delete(from);
      this.#files.set(to, f);
    }
  }

  /**
   * Deletes a path; the seqs its data held are at risk. A link's data stays on disk, but out of
   * reach of anyone following the path: its seqs are at risk the same.
   */
  #remove(path: string, reason: AtRisk["reason"]): AtRisk[] {
    const link = isLink(path);
    const data = link ? resolve(dirname(path), readlinkSync(path)) : path;
    unlinkSync(path);
    const f = this.#files.get(data);
    if (!link) this.#files.delete(path);
    return f && f.from > 0 && !f.reported ? [{ from: f.from, to: f.to, reason, ageMs: Math.round(this.#o.now() - f.lastWriteMs) }] : [];
  }
}

/** writeSync may write less than asked (a full disk, a signal): the rest goes in further writes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** `12-40`, or `12` for one line. */
export const rangeText = (r: { from: number; to: number }): string => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`);

/** Where a symlink points (for tests). */
export const linkTarget = (path: string): string => readlinkSync(path);
