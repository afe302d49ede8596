/**
 * Message ids, derived from where a record came from, so that a re-send of the same record
 * (a retry, or a tail source re-reading after a crash) carries the same id and JetStream's
 * duplicate window drops it.
 */
import type { LogRecord } from "../../core/mod.ts";

/** FNV-1a, 32 bits, as hex: a short content hash. */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

export interface MessageIds {
  /** The id of a record; the same record gives the same id. */
  of(record: LogRecord): string;
}

/**
 * - a line read from a file: `source id | file | byte offset | hash of the line`. Origin does not carry the
 *   tail source's file fingerprint, so the line's hash stands in for it: after a rotation the same path and
 *   offset hold another line, whose id differs.
 * - a generated record: `generator id | run | seq`. A generator starts its seq again on every start, hence
 *   the run (this sink's start time); retries within a run keep the id.
 * - anything else: a fresh id (retries of the publish still reuse it).
 */
export function createMessageIds(pipeline: string, run: string): MessageIds {
  let next = 0;
  const prefix = `${run}-`;
  return {
    of(record) {
      const origin = record.origin;
      if (origin?.file !== undefined && origin.offset !== undefined) {
        return `${origin.source ?? pipeline}|${origin.file}|${origin.offset}|${hash32(record.raw ?? record.message)}`;
      }
      const fields = record.fields;
      if (fields && fields.seq !== undefined && fields.generator !== undefined) return `${String(fields.generator)}|${run}|${String(fields.seq)}`;
      return `${pipeline}|${prefix}${(next++).toString(36)}`;
    },
  };
}
