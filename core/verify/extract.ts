/**
 * Finds the generator id and `seq` of the records in one output line, whatever wrote it:
 * logsim's JSONL (top-level fields), a JSON record with the original line embedded in a
 * string (Vector's `message`, Fluent Bit's `log`, a dead-letter file's `line`), text
 * with `seq=N generator=ID` (logsim's text, logfmt and syslog formats), or CSV under a
 * header that names the `generator` and `seq` columns.
 */

/** One record found: its generator id (undefined when the line does not say) and seq. */
export interface Found {
  generator: string | undefined;
  seq: number;
}

/**
 * What a line held: one whole record; a torn line (a partial JSON record, or several
 * records run together) with the seqs still readable in it; no seq at all; or a CSV header.
 */
export type LineShape = "record" | "torn" | "none" | "header";

/** How deep into nested objects and embedded JSON strings a record is searched. */
const MAX_DEPTH = 4;
/** `seq` as a key, quoted, escaped inside a JSON string, or bare: `"seq":12`, `\"seq\":12`, `seq=12`, `seq="12"`. */
const SEQ = /(?:^|[^\w.-])\\?"?seq\\?"?\s*[=:]\s*\\?"?(\d{1,15})(?![\d.])/g;
const GENERATOR = /(?:^|[^\w.-])\\?"?generator\\?"?\s*[=:]\s*\\?"?([^\s"\\,;}\]]+)/g;

const seqOf = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** Reads the lines of one file in order; keeps what a file's first lines said (a CSV header). */
export class LineExtractor {
  #csv: { generator: number; seq: number } | undefined;
  #seenData = false;

  /** Appends the records found in `line` (no newline) to `out` and says what the line was. */
  read(line: string, out: Found[]): LineShape {
    const start = out.length;
    const first = firstNonSpace(line);
    if (first === 0x7b /* { */) {
      const parsed = tryParse(line);
      if (parsed !== undefined) {
        this.#seenData = true;
        const found = typeof parsed === "object" && parsed !== null ? fromObject(parsed as Record<string, unknown>, 0) : undefined;
        if (found === undefined) return "none";
        out.push(found);
        return "record";
      }
      scanText(line, out);
      return out.length > start ? "torn" : "none";
    }
    scanText(line, out);
    const n = out.length - start;
    if (n > 0) return (this.#seenData = true), n === 1 ? "record" : "torn";
    if (this.#csv) return this.#fromCsv(line, out) ? "record" : "none";
    if (!this.#seenData && this.#readHeader(line)) return "header";
    if (line.trim() !== "") this.#seenData = true;
    return "none";
  }

  #readHeader(line: string): boolean {
    const cells = splitCsv(line).map((c) => c.trim().toLowerCase());
    const generator = cells.indexOf("generator");
    const seq = cells.indexOf("seq");
    if (seq < 0) return false;
    this.#csv = { generator, seq };
    return true;
  }

  #fromCsv(line: string, out: Found[]): boolean {
    const cells = splitCsv(line);
    const seq = seqOf(cells[this.#csv!.seq]);
    if (seq === undefined) return false;
    const generator = this.#csv!.generator >= 0 ? cells[this.#csv!.generator] : undefined;
    out.push({ generator: generator === "" ? undefined : generator, seq });
    return true;
  }
}

function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return c;
  }
  return -1;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The record in a parsed JSON value: its own `seq`, else the first found in a nested object or an embedded line. */
function fromObject(obj: Record<string, unknown>, depth: number): Found | undefined {
  const seq = seqOf(obj.seq);
  if (seq !== undefined) return { generator: typeof obj.generator === "string" ? obj.generator : undefined, seq };
  if (depth >= MAX_DEPTH) return undefined;
  for (const key in obj) {
    const value = obj[key];
    if (typeof value === "string") {
      if (!value.includes("seq")) continue;
      const found = fromEmbedded(value, depth + 1);
      if (found !== undefined) return found;
    } else if (typeof value === "object" && value !== null) {
      const found = fromObject(value as Record<string, unknown>, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A line kept inside a string: JSON again, or text with `seq=N`. */
function fromEmbedded(text: string, depth: number): Found | undefined {
  if (firstNonSpace(text) === 0x7b) {
    const parsed = tryParse(text);
    if (typeof parsed === "object" && parsed !== null) return fromObject(parsed as Record<string, unknown>, depth);
  }
  const found: Found[] = [];
  scanText(text, found);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Every `seq` in free text, each with the generator id written nearest before it (after
 * the previous seq), else nearest after it (before the next seq).
 */
export function scanText(text: string, out: Found[]): void {
  if (!text.includes("seq")) return;
  const seqs: Array<[index: number, seq: number]> = [];
  for (const m of text.matchAll(SEQ)) {
    const seq = seqOf(m[1]);
    if (seq !== undefined) seqs.push([m.index, seq]);
  }
  if (seqs.length === 0) return;
  const gens: Array<[index: number, id: string]> = [];
  if (text.includes("generator")) for (const m of text.matchAll(GENERATOR)) gens.push([m.index, m[1]!]);
  for (let i = 0; i < seqs.length; i++) {
    const [at, seq] = seqs[i]!;
    const after = i > 0 ? seqs[i - 1]![0] : -1;
    const before = i + 1 < seqs.length ? seqs[i + 1]![0] : Infinity;
    let generator: string | undefined;
    for (const [g, id] of gens) if (g > after && g < at) generator = id;
    if (generator === undefined) generator = gens.find(([g]) => g > at && g < before)?.[1];
    out.push({ generator, seq });
  }
}

/** One CSV row's cells (RFC 4180 quoting: `"a ""b"""` is `a "b"`). */
export function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') (cell += '"'), (i += 2);
          else break;
        } else cell += line[i++];
      }
      cells.push(cell);
      const comma = line.indexOf(",", i);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}
