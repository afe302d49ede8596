/**
 * CSV (RFC 4180; a record per line, or per group of lines when a quoted cell
 * spans lines), header-aware: the first line of each file (byte offset 0) is
 * its header and is skipped, not counted as an error.
 * Reading a file from its middle (a restart), the header is read from the
 * file's first line; `columns` gives it when files have none.
 */
import { err, type FileSystem, type RawLine } from "../../core/mod.ts";
import { badUtf8, fail, fromObject, setField, typed, type ParseEnv, type ParseResult } from "./_common.ts";

/**
 * The cells of one record, or undefined when a quote is not closed. A quoted cell may hold
 * line breaks (RFC 4180): `text` is then the record's lines joined with `\n`, as a source
 * reading CSV records across lines hands them over.
 */
export function csvCells(text: string, delimiter = ","): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
      if (i < text.length && text[i] !== delimiter) return undefined;
    } else {
      const d = text.indexOf(delimiter, i);
      cells.push(text.slice(i, d < 0 ? text.length : d));
      i = d < 0 ? text.length : d;
    }
    if (i >= text.length) return cells;
    i++; // the delimiter
  }
}

const HEADER_PROBE = 64 * 1024;

export class CsvParser {
  /** Header per file; null when the file's first line could not be read (not tried again). */
  readonly #headers = new Map<string, string[] | null>();
  readonly #fs: FileSystem;
  readonly #columns: string[] | undefined;
  readonly #delimiter: string;

  constructor(fs: FileSystem, options: { columns?: string[]; delimiter?: string }) {
    this.#fs = fs;
    this.#columns = options.columns;
    this.#delimiter = options.delimiter ?? ",";
  }

  parse(line: RawLine, env: ParseEnv): ParseResult {
    if (badUtf8(line)) return fail("invalid UTF-8");
    const cells = csvCells(line.text, this.#delimiter);
    if (!cells) return fail("unterminated quoted CSV cell (a record whose quoted cell spans lines must reach the parser whole: read the file with a multiline source)");
    const file = line.origin?.file ?? "";
    if (!this.#columns && line.origin?.offset === 0) {
      this.#headers.set(file, cells);
      return err({ reason: "CSV header", skip: true });
    }
    const known = this.#headers.get(file);
    const header = this.#columns ?? (known === undefined ? this.#readHeader(file) : known);
    if (!header) return fail("CSV header unknown");
    if (cells.length === header.length && cells.every((c, i) => c === header[i])) return err({ reason: "CSV header", skip: true });
    if (cells.length !== header.length) return fail(`expected ${header.length} CSV cells, got ${cells.length}`);
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) {
      const name = header[i]!;
      const cell = cells[i]!;
      if (cell === "") continue;
      if (name === "extra" && cell.startsWith("{")) {
        try {
          // defineProperty, not assignment: a "__proto__" key stays a field instead of setting the prototype.
          for (const [k, v] of Object.entries(JSON.parse(cell) as object)) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          continue;
        } catch {
          // Kept as text below.
        }
      }
      setField(obj, name, ["timestamp", "level", "service", "message"].includes(name) ? cell : typed(cell));
    }
    return fromObject(obj, line, "csv", env);
  }

  #readHeader(file: string): string[] | undefined {
    if (!file) return undefined;
    this.#headers.set(file, null);
    try {
      const f = this.#fs.openRead(file);
      try {
        const buf = new Uint8Array(HEADER_PROBE);
        const n = f.read(buf, 0);
        const nl = buf.subarray(0, n).indexOf(10);
        if (nl < 0) return undefined;
        const cells = csvCells(new TextDecoder().decode(buf.subarray(0, nl)).replace(/\r$/, ""), this.#delimiter);
        if (cells) this.#headers.set(file, cells);
        return cells;
      } finally {
        f.close();
      }
    } catch {
      return undefined;
    }
  }
}

