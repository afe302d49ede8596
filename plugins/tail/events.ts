/**
 * The events a tail source emits on the bus, declared on the author entry's LogsimEvents
 * (declaration merging), as any plugin declares its own.
 */
import type { TailStats } from "./tailer.ts";

/** A file a tail source follows, as `tail:files` reports it. */
export interface TailedFile {
  /** Opaque: the web interface never takes a path. */
  id: string;
  path: string;
  position: number;
  size: number;
  /** Bytes not yet read: size - position. */
  lag: number;
  /** "unreadable": under the globs but cannot be opened (permissions); retried at every scan. */
  state: "active" | "rotated" | "deleted" | "unreadable";
  /** Why an unreadable file cannot be read. */
  error?: string;
}

declare module "../../core/mod.ts" {
  interface LogsimEvents {
    /** The files a tail source follows, about once a second. */
    "tail:files": { pipeline: string; plugin: string; files: TailedFile[] };
    /** A tail source's counters, about once a second and when it stops. */
    "tail:stats": { pipeline: string; plugin: string; stats: TailStats; final: boolean };
  }
}
