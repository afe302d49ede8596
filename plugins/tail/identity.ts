/**
 * File identity: device + inode AND a fingerprint of the first bytes
 * (TAILING.md rule 1). Inode alone breaks on inode reuse; a checksum alone
 * breaks when files share a header.
 */
import type { FileStat, FileSystem, ReadFile } from "../../core/mod.ts";

/** Bytes hashed from the start of a file once it has that many. */
export const FINGERPRINT_BYTES = 1024;

export interface Fingerprint {
  /** How many leading bytes were hashed (grows up to FINGERPRINT_BYTES as the file grows). */
  length: number;
  hash: string;
}

export const fileKey = (stat: Pick<FileStat, "dev" | "ino">): string => `${stat.dev}:${stat.ino}`;

/** Two FNV-1a 32-bit hashes with different seeds: 64 bits, enough to tell headers apart. */
export function hashBytes(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193);
    b = Math.imul(b ^ bytes[i]!, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * Bytes hashed just before a saved offset (SavedFile.lastBytes): a file that starts with the same
 * bytes as the one saved (a banner, a CSV header) but holds other bytes there is another file, put
 * in its place while the collector was down, and is read from its start.
 */
export const LAST_BYTES = 1024;

const scratch = new Uint8Array(Math.max(FINGERPRINT_BYTES, LAST_BYTES));

/** Reads into `bytes` from `position` until it is full or the file ends; how many bytes were read. */
function readInto(file: ReadFile, bytes: Uint8Array, position: number): number {
  let got = 0;
  while (got < bytes.length) {
    const n = file.read(bytes.subarray(got), position + got);
    if (n <= 0) break;
    got += n;
  }
  return got;
}

function readAt(file: ReadFile, position: number, length: number): Uint8Array | undefined {
  return readInto(file, scratch.subarray(0, length), position) === length ? scratch.subarray(0, length) : undefined;
}

const readPrefix = (file: ReadFile, length: number): Uint8Array | undefined => readAt(file, 0, length);

/** A hash of the min(offset, LAST_BYTES) bytes before `offset`; undefined when the file is shorter than `offset`. */
export function hashBefore(file: ReadFile, offset: number): Fingerprint | undefined {
  const length = Math.min(offset, LAST_BYTES);
  const bytes = readAt(file, offset - length, length);
  return bytes ? { length, hash: hashBytes(bytes) } : undefined;
}

/** Whether the bytes before `offset` are those `last` was taken from (true when there is no `last`: a state saved without it). */
export function matchesBefore(file: ReadFile, offset: number, last: Fingerprint | undefined): boolean {
  if (!last || last.length === 0) return true;
  if (last.length > offset) return false;
  const bytes = readAt(file, offset - last.length, last.length);
  return bytes !== undefined && hashBytes(bytes) === last.hash;
}

/** Fingerprints the first min(size, FINGERPRINT_BYTES) bytes. */
export function fingerprint(file: ReadFile, size: number): Fingerprint {
  const length = Math.min(size, FINGERPRINT_BYTES);
  const bytes = readPrefix(file, length);
  return bytes ? { length, hash: hashBytes(bytes) } : { length: 0, hash: hashBytes(new Uint8Array(0)) };
}

/** Whether the file starts with gzip's magic bytes (1f 8b): a rotated file compressed by logrotate, not text. */
export function isGzip(file: ReadFile, size: number): boolean {
  const bytes = size >= 2 ? readPrefix(file, 2) : undefined;
  return bytes !== undefined && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Whether the file still starts with the bytes `fp` was taken from. */
export function fingerprintMatches(file: ReadFile, fp: Fingerprint): boolean {
  if (fp.length === 0) return true;
  const bytes = readPrefix(file, fp.length);
  return bytes !== undefined && hashBytes(bytes) === fp.hash;
}

/**
 * A file's first bytes (up to FINGERPRINT_BYTES), read once, against which many fingerprints are
 * checked: a new file is compared with every file followed beside it (copies.ts), and opening it once
 * for each of them cost 5,000 small files 92 s with 256 descriptors (each scan judged the thousands
 * waiting for a handle against the hundreds open).
 */
export class Head {
  readonly #bytes: Uint8Array | undefined;
  readonly #hashes = new Map<number, string>();

  private constructor(bytes: Uint8Array | undefined) {
    this.#bytes = bytes;
  }

  /** The first bytes of `file`, read now. */
  static of(file: ReadFile): Head {
    const bytes = new Uint8Array(FINGERPRINT_BYTES);
    return new Head(bytes.subarray(0, readInto(file, bytes, 0)));
  }

  /** The first bytes of the file at `path`; a file that cannot be opened holds nothing. */
  static at(fs: FileSystem, path: string): Head {
    let file: ReadFile;
    try {
      file = fs.openRead(path);
    } catch {
      return new Head(undefined);
    }
    try {
      return Head.of(file);
    } finally {
      file.close();
    }
  }

  /** As fingerprintMatches (holdsAt for a path): the file starts with the bytes `fp` was taken from. */
  holds(fp: Fingerprint): boolean {
    const bytes = this.#bytes;
    if (!bytes) return false;
    if (fp.length === 0) return true;
    if (bytes.length < fp.length) return false;
    let hash = this.#hashes.get(fp.length);
    if (hash === undefined) this.#hashes.set(fp.length, (hash = hashBytes(bytes.subarray(0, fp.length))));
    return hash === fp.hash;
  }
}

/**
 * Whether the file at `path` starts with the bytes `fp` was taken from and is at least `size` bytes
 * long, with the bytes `last` was taken from just before `size` when given (false if it cannot be opened).
 */
export function holdsAt(fs: FileSystem, path: string, fp: Fingerprint, size = 0, last?: Fingerprint): boolean {
  let file: ReadFile;
  try {
    file = fs.openRead(path);
  } catch {
    return false;
  }
  try {
    return file.stat().size >= size && fingerprintMatches(file, fp) && matchesBefore(file, size, last);
  } finally {
    file.close();
  }
}
