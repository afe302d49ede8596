/** For tests: a file system whose disk is nearly full, on node:fs. */
import type { FileSystem } from "../core/runtime.ts";
import { nodeFileSystem } from "../runtime/shared/node-fs.ts";

/**
 * A FileSystem whose disk holds `room` more bytes (set `room` to give space back):
 * an append beyond it writes what fits and then throws ENOSPC with `bytesWritten`,
 * as write(2) does on a full disk; truncating frees what it cuts.
 */
export function smallDisk(room: number): FileSystem & { room: number } {
  const fs = {
    ...nodeFileSystem,
    room,
    openAppend(path: string) {
      const file = nodeFileSystem.openAppend(path);
      return {
        ...file,
        write(data: Uint8Array) {
          const n = Math.min(fs.room, data.length);
          file.write(data.subarray(0, n));
          fs.room -= n;
          if (n < data.length) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", bytesWritten: n });
        },
        truncate(size: number) {
          const before = nodeFileSystem.stat(path)!.size;
          file.truncate(size);
          fs.room += before - size;
        },
      };
    },
  };
  return fs;
}
