/**
 * A set of sequence numbers as bits, in chunks allocated on first use: 10,000,000
 * seqs take 1.2 MiB, and a stray huge seq costs one chunk, not a gigabyte.
 */

/** Bits per chunk: 2^20 (128 KiB). */
const CHUNK_BITS = 1 << 20;
const CHUNK_BYTES = CHUNK_BITS >>> 3;

export class SeqBitmap {
  readonly #chunks = new Map<number, Uint8Array>();

  /** Sets `seq`; returns whether it was set before. `seq` is a non-negative safe integer. */
  add(seq: number): boolean {
    const index = Math.floor(seq / CHUNK_BITS);
    let chunk = this.#chunks.get(index);
    if (chunk === undefined) this.#chunks.set(index, (chunk = new Uint8Array(CHUNK_BYTES)));
    const bit = seq - index * CHUNK_BITS;
    const mask = 1 << (bit & 7);
    const byte = chunk[bit >>> 3]!;
    if (byte & mask) return true;
    chunk[bit >>> 3] = byte | mask;
    return false;
  }

  has(seq: number): boolean {
    const index = Math.floor(seq / CHUNK_BITS);
    const chunk = this.#chunks.get(index);
    if (chunk === undefined) return false;
    const bit = seq - index * CHUNK_BITS;
    return (chunk[bit >>> 3]! & (1 << (bit & 7))) !== 0;
  }

  /** Calls `onSeq` for every seq set, in increasing order; zero bytes are skipped, so a sparse set is quick. */
  forEach(onSeq: (seq: number) => void): void {
    for (const index of [...this.#chunks.keys()].sort((a, b) => a - b)) {
      const chunk = this.#chunks.get(index)!;
      for (let byte = 0; byte < CHUNK_BYTES; byte++) {
        const bits = chunk[byte]!;
        if (bits === 0) continue;
        for (let bit = 0; bit < 8; bit++) if (bits & (1 << bit)) onSeq(index * CHUNK_BITS + byte * 8 + bit);
      }
    }
  }

  /** Bytes held by the chunks. */
  get bytes(): number {
    return this.#chunks.size * CHUNK_BYTES;
  }
}

/** A run of consecutive seqs, both ends included. */
export interface SeqRange {
  from: number;
  to: number;
}

/**
 * The runs of seqs in [first, last] for which `member` holds, in order; calls `onRange` for each
 * (so a caller can count them all and keep only the first few).
 */
export function forEachRange(first: number, last: number, member: (seq: number) => boolean, onRange: (range: SeqRange) => void): void {
  let start = -1;
  for (let seq = first; seq <= last; seq++) {
    if (member(seq)) {
      if (start < 0) start = seq;
    } else if (start >= 0) {
      onRange({ from: start, to: seq - 1 });
      start = -1;
    }
  }
  if (start >= 0) onRange({ from: start, to: last });
}

/**
 * Ranges written compactly, as users read them: `1201-1450, 9000`.
 *
 * @example
 * formatRanges([{ from: 1201, to: 1450 }, { from: 9000, to: 9000 }]); // "1201-1450, 9000"
 */
export function formatRanges(ranges: readonly SeqRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(", ");
}

/** The inverse of formatRanges; undefined when `text` is not such a list. */
export function parseRanges(text: string): SeqRange[] | undefined {
  const out: SeqRange[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!m) return part.trim() === "" && text.trim() === "" ? [] : undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) return undefined;
    out.push({ from, to });
  }
  return out;
}

/** Collects seqs given in increasing order into ranges (what a generator does with its faulted seqs). */
export function appendToRanges(ranges: SeqRange[], seq: number): void {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.to + 1 === seq) last.to = seq;
  else if (last === undefined || seq > last.to) ranges.push({ from: seq, to: seq });
}
