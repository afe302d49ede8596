/**
 * A small, fast seeded PRNG (sfc32, from PractRand) with the helpers the
 * generator needs. Every stream of randomness (content, bursts, faults) gets
 * its own Random derived from the seed, so changing how often one part draws
 * does not shift the others.
 */

/** Hashes a string into a 32-bit seed (FNV-1a followed by a murmur3 finaliser). */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX = "0123456789abcdef";
/** Each byte as two hex digits, low nibble first (the order `hex` has always drawn digits in, so seeded output stays the same). */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => HEX[b & 15]! + HEX[b >> 4]!);

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d = 1;

  /** `seed` and `stream` together pick the sequence; the same pair always gives the same numbers. */
  constructor(seed: number | string, stream = "") {
    const s = hashSeed(`${seed}/${stream}`);
    this.#a = s;
    this.#b = hashSeed(`${s}:b`);
    this.#c = hashSeed(`${s}:c`);
    for (let i = 0; i < 15; i++) this.nextU32(); // Mix the state before the first draw.
  }

  /** A uniform unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * `count` lowercase hex digits: eight per draw, least significant nibble first. Whole draws
   * go four bytes at a time through a table (ids and trace ids are on every event).
   */
  hex(count: number): string {
    let out = "";
    let i = 0;
    for (; i + 8 <= count; i += 8) {
      const n = this.nextU32();
      out += BYTE_HEX[n & 255]! + BYTE_HEX[(n >>> 8) & 255]! + BYTE_HEX[(n >>> 16) & 255]! + BYTE_HEX[n >>> 24]!;
    }
    if (i < count) {
      let n = this.nextU32();
      for (; i < count; i++, n >>>= 4) out += HEX[n & 15];
    }
    return out;
  }

  /** An exponentially distributed value with the given mean (think times, gaps). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A log-normal value with the given median and spread (latencies: mostly fast, a long tail). */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }
}

/** Picks from weighted options in O(log n) using precomputed cumulative weights. */
export class Weighted<T> {
  readonly #items: T[];
  readonly #cumulative: number[];
  readonly #total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new RangeError("Weighted choice needs at least one positive weight");
    this.#items = kept.map(([item]) => item);
    let sum = 0;
    this.#cumulative = kept.map(([, w]) => (sum += w));
    this.#total = sum;
  }

  pick(random: Random): T {
    const x = random.next() * this.#total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.#items[lo]!;
  }
}
