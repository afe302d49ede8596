/**
 * A batch of entries as one transferable buffer and a few typed arrays: the texts of its lines,
 * joined and encoded as UTF-8 once (the worker decodes them once and slices each line out by its
 * UTF-16 length), their origins deduplicated, and the rarer parts (envelopes, records) sparse.
 * Structured clone of a million small objects costs more than the parsing it moves away.
 */
import type { Entry, Envelope, LogRecord, Origin, RawLine } from "../types.ts";

export interface PackedEntries {
  count: number;
  /** UTF-8 of every line's text, back to back (transferred). */
  text: ArrayBuffer;
  /** Bytes of `text` in use. */
  bytes: number;
  /** UTF-16 length of each line's text (0 for a record). */
  lengths: Uint32Array;
  /** Index into `origins` per entry, -1 for none. */
  originOf: Int32Array;
  /** Distinct origins without their offset. */
  origins: Origin[];
  /** Byte offset per entry, NaN for none. */
  offsets: Float64Array;
  /** The line's file's modification time per entry, NaN for none. */
  fileTimes: Float64Array;
  /** PARTIAL | TRUNCATED per entry. */
  flags: Uint8Array;
  envelopes: Array<[index: number, envelope: Envelope]>;
  /** Entries that are records already (a generator's), by index. */
  records: Array<[index: number, record: LogRecord]>;
}

const PARTIAL = 1;
const TRUNCATED = 2;

/** The buffers to transfer with a packed batch. */
export const transfers = (p: PackedEntries): ArrayBuffer[] => [p.text, p.lengths.buffer as ArrayBuffer, p.originOf.buffer as ArrayBuffer, p.offsets.buffer as ArrayBuffer, p.fileTimes.buffer as ArrayBuffer, p.flags.buffer as ArrayBuffer];

export function packEntries(entries: readonly Entry[], encoder: TextEncoder): PackedEntries {
  const n = entries.length;
  const lengths = new Uint32Array(n);
  const originOf = new Int32Array(n).fill(-1);
  const offsets = new Float64Array(n).fill(NaN);
  const fileTimes = new Float64Array(n).fill(NaN);
  const flags = new Uint8Array(n);
  const origins: Origin[] = [];
  const originIndex = new Map<string, number>();
  const envelopes: PackedEntries["envelopes"] = [];
  const records: PackedEntries["records"] = [];
  const texts: string[] = [];
  let units = 0;
  let previous: Origin | undefined;
  let previousIndex = -1;
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!;
    if (entry.kind !== "line") {
      records.push([i, entry]);
      continue;
    }
    texts.push(entry.text);
    lengths[i] = entry.text.length;
    units += entry.text.length;
    const origin = entry.origin;
    if (origin) {
      // Lines of one file come in runs: most share the previous line's template.
      let index = previousIndex;
      if (!previous || origin.file !== previous.file || origin.source !== previous.source || origin.parser !== previous.parser || (origin.offset === undefined) !== (previous.offset === undefined)) {
        const key = originKey(origin);
        index = originIndex.get(key) ?? -1;
        if (index < 0) {
          index = origins.length;
          originIndex.set(key, index);
          origins.push({ ...origin, ...(origin.offset !== undefined ? { offset: 0 } : {}) });
        }
        previous = origin;
        previousIndex = index;
      }
      originOf[i] = index;
      if (origin.offset !== undefined) offsets[i] = origin.offset;
    }
    if (entry.fileTime !== undefined) fileTimes[i] = entry.fileTime;
    if (entry.partial) flags[i]! |= PARTIAL;
    if (entry.truncated) flags[i]! |= TRUNCATED;
    if (entry.envelope) envelopes.push([i, entry.envelope]);
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const text = new Uint8Array(units * 3);
  const { written } = encoder.encodeInto(texts.join(""), text);
  return { count: n, text: text.buffer, bytes: written, lengths, originOf, origins, offsets, fileTimes, flags, envelopes, records };
}

export function unpackEntries(p: PackedEntries, decoder: TextDecoder): Entry[] {
  const all = decoder.decode(new Uint8Array(p.text, 0, p.bytes));
  const entries = new Array<Entry>(p.count);
  let at = 0;
  for (let i = 0; i < p.count; i++) {
    const end = at + p.lengths[i]!;
    const line: RawLine = { kind: "line", text: all.slice(at, end) };
    at = end;
    const o = p.originOf[i]!;
    if (o >= 0) {
      // A copy of the template, whose `offset` (in its place among the keys: the output keeps their order) is this line's.
      const origin: Origin = { ...p.origins[o] };
      if (origin.offset !== undefined) origin.offset = p.offsets[i]!;
      line.origin = origin;
    }
    const fileTime = p.fileTimes[i]!;
    if (!Number.isNaN(fileTime)) line.fileTime = fileTime;
    const f = p.flags[i]!;
    if (f & PARTIAL) line.partial = true;
    if (f & TRUNCATED) line.truncated = true;
    entries[i] = line;
  }
  for (const [i, envelope] of p.envelopes) (entries[i] as RawLine).envelope = envelope;
  for (const [i, record] of p.records) entries[i] = record;
  return entries;
}

/** Origins that differ only in their offset share a template; key order is part of it. */
function originKey(origin: Origin): string {
  let key = "";
  for (const name in origin) key += name === "offset" ? "\0offset" : `\0${name}=${String(origin[name as keyof Origin])}`;
  return key;
}
