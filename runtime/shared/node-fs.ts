/**
 * FileSystem on node:fs. Node, Bun and Deno all implement node:fs, so the
 * three adapters share this one; a runtime can swap in its own where faster.
 */
import { Buffer } from "node:buffer";
import * as fs from "node:fs";
import { basename, dirname, join } from "node:path";
import { atomicTempName, type AppendFile, type FileStat, type FileSystem, type ReadFile } from "../../core/runtime.ts";

const toStat = (s: fs.Stats): FileStat => ({ size: s.size, dev: s.dev, ino: s.ino, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDirectory: s.isDirectory() });

/** What the kernel copies whole into a file, so one write of it at offset 0 is whole or not at all under kill -9. */
const PAGE_BYTES = 4096;

/**
 * writeAtomic's `inPlace`: the file and `data` both within a page, one write at offset 0, padded
 * with spaces (before a last newline) to the file's length so nothing old is left past the end.
 * False when it does not apply (no file, a bigger one, bigger data): the caller writes and renames.
 */
function overwriteInPlace(path: string, data: string): boolean {
  const bytes = Buffer.from(data);
  if (bytes.length > PAGE_BYTES) return false;
  let fd: number;
  try {
    fd = fs.openSync(path, "r+");
  } catch {
    return false;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size > PAGE_BYTES) return false;
    let page = bytes;
    if (size > bytes.length) {
      const newline = bytes[bytes.length - 1] === 10 ? 1 : 0;
      page = Buffer.alloc(size, 32);
      bytes.copy(page, 0, 0, bytes.length - newline);
      if (newline) page[size - 1] = 10;
    }
    return fs.writeSync(fd, page, 0, page.length, 0) === page.length;
  } finally {
    fs.closeSync(fd);
  }
}

/** `start`: the file's size before this write (the fd appends). */
function writeAll(fd: number, data: Uint8Array, start: number): void {
  let offset = 0;
  try {
    while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
  } catch (error) {
    // Lets the caller drop what did reach the file, so a retry does not duplicate it. Counted
    // by the file's growth (the fd appends): Deno's writeSync writes part, then throws without the count.
    let written = offset;
    try {
      written = Math.max(offset, fs.fstatSync(fd).size - start);
    } catch {
      // Keep what writeSync reported.
    }
    const e = error as Error & { code?: string };
    // The same message on every runtime: Deno says only "No space left on device (os error 28)".
    if (typeof e.code === "string" && typeof e.message === "string" && !e.message.includes(e.code)) e.message = `${e.code}: ${e.message}`;
    Object.assign(e, { bytesWritten: Math.min(written, data.length) });
    throw error;
  }
}

export const nodeFileSystem: FileSystem = {
  openAppend(path): AppendFile {
    const fd = fs.openSync(path, "a");
    // The size is kept, not asked before every write (one syscall less a flush): only this fd
    // writes our files, and after a failed write it is asked again.
    let size = fs.fstatSync(fd).size;
    return {
      write(data) {
        try {
          writeAll(fd, data, size);
          size += data.length;
        } catch (error) {
          try {
            size = fs.fstatSync(fd).size;
          } catch {
            size += (error as { bytesWritten?: number }).bytesWritten ?? 0;
          }
          throw error;
        }
      },
      truncate(to) {
        fs.ftruncateSync(fd, to);
        size = to;
      },
      sync: () => fs.fsyncSync(fd),
      close: () => fs.closeSync(fd),
    };
  },
  openRead(path): ReadFile {
    const fd = fs.openSync(path, "r");
    return {
      read: (buffer, position) => fs.readSync(fd, buffer, 0, buffer.length, position),
      stat: () => toStat(fs.fstatSync(fd)),
      close: () => fs.closeSync(fd),
    };
  },
  stat(path) {
    try {
      return toStat(fs.statSync(path));
    } catch {
      return undefined;
    }
  },
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { force: true }),
  mkdirp: (path) => void fs.mkdirSync(path, { recursive: true }),
  readText(path) {
    try {
      return fs.readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  writeAtomic(path, data, options) {
    const sync = options?.sync ?? true;
    if (!sync && options?.inPlace && overwriteInPlace(path, data)) return;
    const tmp = join(dirname(path), atomicTempName(basename(path), Date.now()));
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, data);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
    if (!sync) return;
    try {
      const dir = fs.openSync(dirname(path), "r");
      fs.fsyncSync(dir);
      fs.closeSync(dir);
    } catch {
      // Some file systems refuse fsync on a directory; the rename is still atomic.
    }
  },
  readDir(path) {
    try {
      return fs.readdirSync(path);
    } catch {
      return [];
    }
  },
  readStream: (path) => fs.createReadStream(path, { highWaterMark: 64 * 1024 }),
  watchDir(dir, onChange) {
    try {
      const watcher = fs.watch(dir, (event, name) => onChange(name ? String(name) : undefined, event === "change" ? "change" : "rename"));
      watcher.on("error", () => {});
      return () => watcher.close();
    } catch {
      return () => {};
    }
  },
};
