/**
 * A batch of entries as the array of its lines' texts and a few transferred typed arrays: the
 * origins deduplicated, offsets and flags by index, the rarer parts (envelopes, records) sparse.
 * Structured clone of a thousand line objects a batch costs more than the parsing it moves away;
 * an array of strings is copied in bulk. (Joining the texts and encoding them as UTF-8 into one
 * transferred buffer cost more on the sending thread: Node 20 300 ms CPU per 200,000 corpus
 * lines against 60 ms for the clone of the array, Bun 1.4 about the same either way.)
 */
import { blockBuffers, expandBlock, originAt, type LineBlock } from "../line-block.ts";
import type { Batch, Entry, Envelope, LogRecord, Origin, RawLine } from "../types.ts";

export interface PackedEntries {
  count: number;
  /** Each line's text ("" for a record). */
  texts: string[];
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
  /** Lines as bytes, after the entries (transferred: the sender's copies are detached). */
  blocks: LineBlock[];
}

const PARTIAL = 1;
const TRUNCATED = 2;

/** The buffers to transfer with a packed batch. */
export const transfers = (p: PackedEntries): ArrayBuffer[] => [
  ...(p.count > 0 ? [p.originOf.buffer as ArrayBuffer, p.offsets.buffer as ArrayBuffer, p.fileTimes.buffer as ArrayBuffer, p.flags.buffer as ArrayBuffer] : []),
  ...blockBuffers(p.blocks),
];

/** A batch's entries and blocks, to post to a worker. */
export const packBatch = (batch: Batch): PackedEntries => packEntries(batch.entries, batch.blocks);

export function packEntries(entries: readonly Entry[], blocks: readonly LineBlock[] = []): PackedEntries {
  const n = entries.length;
  const texts = new Array<string>(n);
  const originOf = new Int32Array(n).fill(-1);
  const offsets = new Float64Array(n).fill(NaN);
  const fileTimes = new Float64Array(n).fill(NaN);
  const flags = new Uint8Array(n);
  const origins: Origin[] = [];
  const originIndex = new Map<string, number>();
  const envelopes: PackedEntries["envelopes"] = [];
  const records: PackedEntries["records"] = [];
  let previous: Origin | undefined;
  let previousIndex = -1;
  for (let i = 0; i < n; i++) {
    const entry = entries[i]!;
    if (entry.kind !== "line") {
      texts[i] = "";
      records.push([i, entry]);
      continue;
    }
    texts[i] = entry.text;
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
  return { count: n, texts, originOf, origins, offsets, fileTimes, flags, envelopes, records, blocks: [...blocks] };
}

export function unpackEntries(p: PackedEntries): Entry[] {
  const entries = new Array<Entry>(p.count);
  for (let i = 0; i < p.count; i++) {
    const line: RawLine = { kind: "line", text: p.texts[i]! };
    const o = p.originOf[i]!;
    if (o >= 0) {
      // A copy of the template, whose `offset` (in its place among the keys: the output keeps their order) is this line's.
      const template = p.origins[o]!;
      line.origin = originAt(template, template.offset !== undefined ? p.offsets[i]! : undefined);
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
  for (const block of p.blocks) expandBlock(block, entries);
  return entries;
}

/** Origins that differ only in their offset share a template; key order is part of it. */
function originKey(origin: Origin): string {
  let key = "";
  for (const name in origin) key += name === "offset" ? "\0offset" : `\0${name}=${String(origin[name as keyof Origin])}`;
  return key;
}
