/**
 * The tail source's saved positions: one JSON file per source, replaced
 * atomically (temp file, rename), and durably (fsync of both, TAILING.md rule 4) when the
 * pipeline's sinks write durably: see AppView.durable.
 * A saved `offset` only ever covers lines the sinks have durably written.
 */
import { basename, dirname, join } from "node:path";
import { atomicTempTarget, type FileSystem } from "../../core/mod.ts";
import type { Fingerprint } from "./identity.ts";

export interface SavedFile {
  path: string;
  dev: number;
  ino: number;
  fingerprint: Fingerprint;
  /** Every line before this byte offset reached the sinks. */
  offset: number;
  /**
   * The last bytes before `offset` (identity.ts LAST_BYTES): a restart resumes a file at `offset` only
   * if they are still there, so a file replaced while the collector was down by one that starts with
   * the same bytes is read from its start, not from the old offset. Absent in states saved before it.
   */
  lastBytes?: Fingerprint;
  /** How far the source had read when this was saved: lines in [offset, read) may be written again after a crash. */
  read: number;
  /**
   * Closed after leaving its path, read to its end: kept so that, if it comes back under the globs
   * (a copy left beside a rotated file, a folder moved back), it resumes at its end, not from 0.
   */
  done?: boolean;
  /** A copytruncate copy, followed from the read position of the file it copies: restored as one. */
  copy?: boolean;
  /** The largest size seen: for a copy (no longer written), what an overwrite while the collector was down destroyed unread. */
  size?: number;
}

/**
 * Whether the saved file was known to hold bytes (read, acked, or only seen in its size): if its inode
 * holds something else at a restart, those bytes are lost, even when none was acked (offset 0).
 */
export const heldBytes = (saved: SavedFile): boolean => Math.max(saved.offset, saved.read, saved.size ?? 0) > 0;

export interface TailState {
  version: 1;
  files: SavedFile[];
}

/**
 * What a spoiled state file costs: with no positions, the files already there are read from their
 * start (as `--from-beginning` does), so nothing written since the last save is missed; what was
 * collected before is written again. Starting at the files' ends would lose lines instead.
 */
const SPOILED = "starting without saved positions: the files are read from their start (lines collected before are written again)";

/** `problem`: the state file was there but spoiled (tail.ts then reads from the start). */
export type LoadedState = { state: TailState | undefined; problem?: string };

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

function isSavedFile(v: unknown): v is SavedFile {
  if (typeof v !== "object" || v === null) return false;
  const f = v as Record<string, unknown>;
  const fp = f.fingerprint as Record<string, unknown> | undefined;
  const last = f.lastBytes as Record<string, unknown> | undefined;
  const lastOk = last === undefined || (typeof last === "object" && last !== null && isNum(last.length) && typeof last.hash === "string");
  return lastOk && (f.size === undefined || isNum(f.size)) && (f.copy === undefined || typeof f.copy === "boolean") && typeof f.path === "string" && isNum(f.dev) && isNum(f.ino) && isNum(f.offset) && isNum(f.read) && typeof fp === "object" && fp !== null && isNum(fp.length) && typeof fp.hash === "string";
}

/** A temp file of another state file this old is left over from a crash, not a save in progress. */
const STALE_TEMP_MS = 60_000;

/**
 * Removes temp files that a process killed during a save left beside the state
 * files (only writeAtomic's names, for `.json` targets): this state file's at
 * once (only this source saves it), other state files' once a minute old.
 */
export function removeStaleTemps(fs: FileSystem, path: string, now: number): void {
  const dir = dirname(path);
  for (const name of fs.readDir(dir)) {
    const target = atomicTempTarget(name);
    if (!target?.endsWith(".json")) continue;
    const file = join(dir, name);
    const stat = fs.stat(file);
    if (!stat?.isFile) continue;
    if (target === basename(path) || now - stat.mtimeMs > STALE_TEMP_MS) {
      try {
        fs.remove(file);
      } catch {
        // Best effort: a temp file left behind costs only its bytes.
      }
    }
  }
}

/**
 * Reads a state file, after removing temp files left by a crash mid-save.
 * Missing: no state (first run). Empty, not JSON or not the expected shape:
 * no state, with a problem to report; never a throw.
 */
export function loadState(fs: FileSystem, path: string, now: number = Date.now()): LoadedState {
  removeStaleTemps(fs, path, now);
  const text = fs.readText(path);
  if (text === undefined) return { state: undefined };
  if (text.trim() === "") return { state: undefined, problem: `state file ${path} is empty; ${SPOILED}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: undefined, problem: `state file ${path} is not valid JSON; ${SPOILED}` };
  }
  const files = (value as { files?: unknown })?.files;
  if ((value as { version?: unknown })?.version !== 1 || !Array.isArray(files) || !files.every(isSavedFile)) {
    return { state: undefined, problem: `state file ${path} has an unexpected shape; ${SPOILED}` };
  }
  return { state: { version: 1, files } };
}

/**
 * `sync`: fsync it (when the sinks' lines survive a power loss, so must the positions; see
 * AppView.durable). Otherwise a small state is overwritten in place (writeAtomic's `inPlace`):
 * a backlog saves at every full batch, and a rename a save cost more than a third of the time.
 */
export function saveState(fs: FileSystem, path: string, files: SavedFile[], sync = true): void {
  const state: TailState = { version: 1, files };
  fs.writeAtomic(path, `${JSON.stringify(state)}\n`, { sync, inPlace: true });
}
