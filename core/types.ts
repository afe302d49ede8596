import type { LineBlock } from "./line-block.ts";

/**
 * Severity levels, normalised, lowest first. Parsers map other spellings (warning, err, crit) onto these.
 *
 * @example
 * LEVELS.includes(value as Level);
 */
export const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

/**
 * A normalised level. `normalizeLevel` maps any common spelling onto one.
 *
 * @example
 * const level: Level = normalizeLevel("warning") ?? "INFO"; // "WARN"
 */
export type Level = (typeof LEVELS)[number];

/**
 * Numeric rank of each level, for `minLevel` comparisons.
 *
 * @example
 * const keep = LEVEL_RANK[record.level] >= LEVEL_RANK.WARN;
 */
export const LEVEL_RANK: Readonly<Record<Level, number>> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 };

/**
 * Where an entry came from: the plugin that produced it and, for files, the byte position.
 *
 * @example
 * const line: RawLine = { kind: "line", text, origin: { source: ctx.id, file: path, offset } };
 */
export interface Origin {
  /** Plugin instance id (stable, see core/config/ids.ts), e.g. `collect.tail`. */
  source?: string;
  file?: string;
  /** Byte offset of the first byte of the line in `file`. */
  offset?: number;
  parser?: string;
}

/**
 * A structured log record: what parsers produce, transforms change and sinks consume.
 *
 * @example
 * const record: LogRecord = { time: ctx.clock.now(), level: "INFO", message: "user logged in", service: "auth", fields: { user_id: "u-1" } };
 */
export interface LogRecord {
  kind?: never;
  /** Milliseconds since the Unix epoch. */
  time: number;
  level: Level;
  message: string;
  service?: string;
  /** Any further structured fields (user_id, seq, latency_ms, ...). */
  fields?: Record<string, unknown>;
  tags?: string[];
  origin?: Origin;
  /** The raw line this record was parsed from, when it came from text. */
  raw?: string;
}

/**
 * What a decoding parser (docker, cri, journald...) read around a line's content: the
 * parsers after it parse the content, and the record they make gets these as defaults
 * (the time as the time of a content without one, the fields where it has none of that name).
 *
 * @example
 * return ok({ kind: "line", text: content, envelope: { time: runtimeTime, fields: { stream: "stderr" } } });
 */
export interface Envelope {
  time?: number;
  level?: Level;
  service?: string;
  fields?: Record<string, unknown>;
}

/**
 * An unparsed line, as a file source reads it. Parsers turn it into a LogRecord.
 *
 * @example
 * const line: RawLine = { kind: "line", text: "2026-01-01T00:00:00Z INFO started" };
 */
export interface RawLine {
  kind: "line";
  text: string;
  origin?: Origin;
  /** Set when a decoding parser unwrapped this line from a container or journal envelope. */
  envelope?: Envelope;
  /** When the line's file was last modified (ms), where the source knows it: the year of year-less timestamps. */
  fileTime?: number;
  /** The line had no trailing newline when its file was closed or rotated away. */
  partial?: boolean;
  /** The line was longer than the source's limit and was cut. */
  truncated?: boolean;
}

/**
 * What travels through a pipeline's channel: a record, or a line for the parsers.
 *
 * @example
 * const entries: Entry[] = [{ kind: "line", text: "raw" }, { time: 0, level: "INFO", message: "parsed" }];
 */
export type Entry = LogRecord | RawLine;

/**
 * A batch of entries. `ack` is called once every sink has durably written
 * the batch (or it was filtered out): sources that checkpoint (tail) advance
 * their saved position only then.
 *
 * @example
 * yield { entries: lines, ack: () => saveOffset(file, end) };
 */
export interface Batch {
  entries: Entry[];
  /**
   * More lines, as bytes (a source does so only when its context says `lineBlocks`: the pipeline
   * parses in worker threads). They come after `entries`; a block holds one file's lines in order.
   */
  blocks?: LineBlock[];
  ack?: () => void;
}

/**
 * Is the entry a line (not yet parsed) rather than a record?
 *
 * @example
 * const lines = entries.filter(isRawLine);
 */
export const isRawLine = (entry: Entry): entry is RawLine => entry.kind === "line";
