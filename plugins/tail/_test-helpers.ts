/** Test helpers for the tailer's parts: a followed-file record built from a real open file; a file system with coarse times. */
import { LineSplitter, type FileStat, type FileSystem, type ReadFile } from "../../core/mod.ts";
import { fileKey, fingerprint } from "./identity.ts";
import { opaqueId, type Tracked } from "./tracked.ts";

/** The record the tailer keeps for `file` at `path`, active, read up to `readTo` (default: its end), in generation 0. */
export function trackedFile(path: string, file: ReadFile, readTo?: number): Tracked {
  const stat = file.stat();
  const key = fileKey(stat);
  return {
    key, id: opaqueId(key), path, dev: stat.dev, ino: stat.ino, file, fp: fingerprint(file, stat.size), splitter: new LineSplitter(readTo ?? stat.size, 1024),
    size: stat.size, mtime: stat.mtimeMs, mtimeSeenAt: Date.now(), state: "active", leftAt: 0, leftAtMs: 0, gen: 0, acked: 0, sent: 0, replayUntil: 0, rewritten: false, done: false,
  };
}

/**
 * `fs` with modification times rounded down to whole seconds, as HFS+, ext3 and some network file systems
 * keep them (Deno's are whole ms): changes within a second keep the time, so the tailer cannot rely on it.
 */
export function coarseTimes(fs: FileSystem): FileSystem {
  const coarse = <T extends FileStat | undefined>(stat: T): T => (stat ? { ...stat, mtimeMs: Math.floor(stat.mtimeMs / 1000) * 1000 } : stat);
  return {
    ...fs,
    stat: (path) => coarse(fs.stat(path)),
    openRead(path) {
      const file = fs.openRead(path);
      return { read: (buffer, position) => file.read(buffer, position), stat: () => coarse(file.stat()), close: () => file.close() };
    },
  };
}
