/**
 * Lines as bytes: a block of a file's lines, undecoded, with their boundaries and offsets. A source
 * hands lines so when the pipeline parses in worker threads (`ctx.lineBlocks`): the source's thread
 * then only finds newlines, and the block's buffers are transferred to a worker, not copied, which
 * decodes them there (expandBlock). What each line becomes is exactly the RawLine the source would
 * have made on its own thread: same text (a trailing `\r` dropped), origin, fileTime and flags.
 */
import type { Entry, Origin, RawLine } from "./types.ts";

const decoder = new TextDecoder("utf-8");

/**
 * A line's bytes (its newline excluded) as text: UTF-8, a trailing `\r` dropped (CRLF files).
 *
 * @example
 * decodeLine(new TextEncoder().encode("GET /\r")); // "GET /"
 */
export const decodeLine = (bytes: Uint8Array): string => {
  const text = decoder.decode(bytes);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
};

/**
 * A copy of an origin template with this line's `offset`: what `{ ...template, offset }` gives
 * (`offset` in its place among the keys when the template has one, else last; the output keeps the
 * order), copied key by key. On Node 20 (V8 11.3) a spread in a hot loop gives each object a hidden
 * class of its own: about 2 µs a line, then every property a parser adds to it (`origin.parser`) costs
 * as much again, plus the garbage of a map an object (about 2.5 s of the two threads' profiled time on the
 * 1M-line workload). Copied so, the lines share one hidden class, as the tail's own literals do.
 *
 * @example
 * originAt({ file: "/var/log/app.log" }, 120); // { file: "/var/log/app.log", offset: 120 }
 */
export function originAt(template: Origin, offset: number | undefined): Origin {
  const origin: Record<string, unknown> = {};
  for (const key in template) origin[key] = template[key as keyof Origin];
  if (offset !== undefined) origin.offset = offset;
  return origin as Origin;
}

/** Line flag: the line was longer than the source's limit and was cut. */
export const LINE_TRUNCATED = 1;
/** Line flag: the line had no trailing newline when its file was closed or rotated away. */
export const LINE_PARTIAL = 2;

/**
 * Lines of one file, as bytes: line `i` is `bytes[starts[i], ends[i])`, its newline excluded.
 * The five arrays are views of one ArrayBuffer (one allocation, one transfer a block).
 *
 * @example
 * const texts = [...block.starts].map((s, i) => new TextDecoder().decode(block.bytes.subarray(s, block.ends[i])));
 */
export interface LineBlock {
  kind: "block";
  bytes: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** Byte offset in the file of each line's first byte. */
  offsets: Float64Array;
  /** LINE_TRUNCATED | LINE_PARTIAL per line. */
  flags: Uint8Array;
  /** Every line's origin, but for its `offset` (key order kept: the output keeps it). */
  origin: Origin;
  /** When the lines' file was last modified (ms). */
  fileTime?: number;
}

/** The buffers of blocks, to transfer with them to a thread. */
export const blockBuffers = (blocks: readonly LineBlock[]): ArrayBuffer[] => blocks.map((b) => b.offsets.buffer as ArrayBuffer);

/**
 * Lines in blocks, all told.
 *
 * @example
 * const lines = batch.entries.length + linesIn(batch.blocks ?? []);
 */
export function linesIn(blocks: readonly LineBlock[]): number {
  let n = 0;
  for (const block of blocks) n += block.starts.length;
  return n;
}

/**
 * The RawLines of a block, appended to `into`, as a source would have made them.
 *
 * @example
 * const entries: Entry[] = [];
 * for (const block of batch.blocks ?? []) expandBlock(block, entries);
 */
export function expandBlock(block: LineBlock, into: Entry[]): void {
  const { bytes, starts, ends, offsets, flags, origin, fileTime } = block;
  // A decode a line, as the tail does on one thread. One decode for the block sliced into lines cost
  // more than it saved: each line's text (and what parsers cut from it) kept the block's whole text
  // alive, so a thread's young collections copied and promoted about 800 KB each, not 70 KB (Node
  // --trace-gc-nvp, 1M-line workload), and --workers 2 took 7.7 CPU s instead of 6.4 on Node, 5.2
  // instead of 4.5 on Bun, peak RSS 405 MiB instead of 290 on Deno (medians of 3 alternating runs).
  for (let i = 0; i < starts.length; i++) {
    const text = decodeLine(bytes.subarray(starts[i]!, ends[i]!));
    const raw: RawLine = { kind: "line", text, origin: originAt(origin, offsets[i]!) };
    if (fileTime !== undefined) raw.fileTime = fileTime;
    const f = flags[i]!;
    if (f & LINE_TRUNCATED) raw.truncated = true;
    if (f & LINE_PARTIAL) raw.partial = true;
    into.push(raw);
  }
}

/**
 * Buffers for blocks, given back by the threads that decoded them: a block's buffer is taken from
 * here when one is large enough, so a backlog does not allocate (and collect) an ArrayBuffer a read.
 * On Bun the allocation and its garbage were 0.5 s of the main thread's 3.5 s on the 1M-line workload.
 *
 * @example
 * const buffers = new BlockBuffers();
 * const builder = new LineBlockBuilder(buffers); // its blocks' buffers come from `buffers` when it has one
 * worker.onResult((spent) => buffers.give(spent));
 */
export class BlockBuffers {
  readonly #free: ArrayBuffer[] = [];
  /** Buffers kept at most: what is in flight, and some. */
  static readonly KEEP = 16;
  /** A new buffer's least size: most blocks (a 64 KiB read and its lines' indexes) fit. */
  static readonly MIN_BYTES = 256 * 1024;

  /** A buffer of at least `bytes` bytes (its content is not cleared). */
  take(bytes: number): ArrayBuffer {
    const free = this.#free;
    for (let i = free.length - 1; i >= 0; i--) {
      if (free[i]!.byteLength >= bytes) {
        const found = free[i]!;
        free[i] = free[free.length - 1]!;
        free.pop();
        return found;
      }
    }
    return new ArrayBuffer(Math.max(bytes, BlockBuffers.MIN_BYTES));
  }

  /** Buffers done with (not detached), for later blocks. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) if (this.#free.length < BlockBuffers.KEEP && buffer.byteLength > 0) this.#free.push(buffer);
  }

  get size(): number {
    return this.#free.length;
  }
}

/**
 * Builds blocks from a reader's chunks (LineSplitter.pushBlock): lines that lie in the chunk are
 * copied as one run of bytes, a line held across chunks on its own. One block per `finish`.
 *
 * @example
 * const builder = new LineBlockBuilder();
 * splitter.pushBlock(chunk, builder);
 * const block = builder.finish({ file: path }, stat.mtimeMs); // undefined if no line was completed
 */
export class LineBlockBuilder {
  readonly #buffers: BlockBuffers | undefined;
  #bytes = new Uint8Array(64 * 1024);
  #length = 0;
  #starts = new Uint32Array(1024);
  #ends = new Uint32Array(1024);
  #offsets = new Float64Array(1024);
  #flags = new Uint8Array(1024);
  #count = 0;
  /** Lines flagged truncated, partial since the last finish (for the source's counts). */
  truncated = 0;
  partial = 0;
  #chunk: Uint8Array | undefined;
  /** The run of the chunk's bytes not copied yet: [#runStart, #runEnd). */
  #runStart = -1;
  #runEnd = 0;

  /** With `buffers`, blocks are built in buffers taken from there. */
  constructor(buffers?: BlockBuffers) {
    this.#buffers = buffers;
  }

  get count(): number {
    return this.#count;
  }

  /** Offset of the block's first line (NaN when empty). */
  get firstOffset(): number {
    return this.#count > 0 ? this.#offsets[0]! : NaN;
  }

  /** Offset of line `i`. */
  offset(i: number): number {
    return this.#offsets[i]!;
  }

  /** The lines that follow are read from `chunk` (lineInChunk) until the next chunk. */
  beginChunk(chunk: Uint8Array): void {
    this.#copyRun();
    this.#chunk = chunk;
  }

  /** A line that is `chunk[start, end)` of the current chunk, at file offset `offset`. */
  lineInChunk(start: number, end: number, offset: number): void {
    if (this.#runStart < 0) this.#runStart = start;
    const base = this.#length - this.#runStart;
    this.#add(base + start, base + end, offset, 0);
    this.#runEnd = end;
  }

  /** A line held apart from the chunk (begun in an earlier one, or cut): its bytes are copied. */
  lineApart(bytes: Uint8Array, offset: number, flags: number): void {
    this.#copyRun();
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#add(this.#length, this.#length + bytes.length, offset, flags);
    this.#length += bytes.length;
    if (flags & LINE_TRUNCATED) this.truncated++;
    if (flags & LINE_PARTIAL) this.partial++;
  }

  /** Marks line `i` truncated (a file whose reading began in the middle of a line). */
  markTruncated(i: number): void {
    if (this.#flags[i]! & LINE_TRUNCATED) return;
    this.#flags[i]! |= LINE_TRUNCATED;
    this.truncated++;
  }

  /** The block of the lines added since the last finish (undefined if none); starts over empty. */
  finish(origin: Origin, fileTime: number | undefined): LineBlock | undefined {
    this.#copyRun();
    this.#chunk = undefined;
    const n = this.#count;
    this.#count = 0;
    this.truncated = this.partial = 0;
    const length = this.#length;
    this.#length = 0;
    if (n === 0) return undefined;
    // One buffer: offsets (8-byte aligned) first, then starts, ends, flags, bytes.
    const buffer = this.#buffers ? this.#buffers.take(n * 17 + length) : new ArrayBuffer(n * 17 + length);
    const offsets = new Float64Array(buffer, 0, n);
    const starts = new Uint32Array(buffer, n * 8, n);
    const ends = new Uint32Array(buffer, n * 12, n);
    const flags = new Uint8Array(buffer, n * 16, n);
    const bytes = new Uint8Array(buffer, n * 17, length);
    offsets.set(this.#offsets.subarray(0, n));
    starts.set(this.#starts.subarray(0, n));
    ends.set(this.#ends.subarray(0, n));
    flags.set(this.#flags.subarray(0, n));
    bytes.set(this.#bytes.subarray(0, length));
    const block: LineBlock = { kind: "block", bytes, starts, ends, offsets, flags, origin };
    if (fileTime !== undefined) block.fileTime = fileTime;
    return block;
  }

  #add(start: number, end: number, offset: number, flags: number): void {
    const i = this.#count;
    if (i === this.#starts.length) this.#growLines();
    this.#starts[i] = start;
    this.#ends[i] = end;
    this.#offsets[i] = offset;
    this.#flags[i] = flags;
    this.#count = i + 1;
  }

  /** Copies the chunk's run of lines into the block's bytes. */
  #copyRun(): void {
    if (this.#runStart < 0) return;
    const run = this.#chunk!.subarray(this.#runStart, this.#runEnd);
    this.#reserve(run.length);
    this.#bytes.set(run, this.#length);
    this.#length += run.length;
    this.#runStart = -1;
  }

  #reserve(more: number): void {
    const need = this.#length + more;
    if (need <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  #growLines(): void {
    const size = this.#starts.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.#starts = grow(this.#starts, (n) => new Uint32Array(n));
    this.#ends = grow(this.#ends, (n) => new Uint32Array(n));
    this.#offsets = grow(this.#offsets, (n) => new Float64Array(n));
    this.#flags = grow(this.#flags, (n) => new Uint8Array(n));
  }
}
