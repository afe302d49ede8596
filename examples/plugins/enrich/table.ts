/**
 * Loading the lookup table: inline, or from a JSON file (an object of rows
 * by key, or an array of rows with a key column) or a CSV file (a header
 * row, RFC 4180 quoting). Any problem is an Error whose message names the
 * file and, for CSV, the line.
 */
export type Row = Record<string, unknown>;
export type Table = Map<string, Row>;

/** Splits CSV text into rows of cells: commas, quoted cells with "" for a quote, and line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      if (row.length > 1 || row[0] !== "") rows.push(row);
      (row = []), (cell = "");
    } else cell += c;
  }
  if (quoted) throw new Error(`a quoted cell is not closed (line ${rows.length + 1})`);
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function fromCsv(text: string, keyColumn: string | undefined): Table {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!header) throw new Error("the file is empty: expected a header row");
  const keyAt = keyColumn === undefined ? 0 : header.indexOf(keyColumn);
  if (keyAt < 0) throw new Error(`no column "${keyColumn}" in the header (${header.join(", ")})`);
  const table: Table = new Map();
  rows.forEach((cells, i) => {
    if (cells.length !== header.length) throw new Error(`line ${i + 2} has ${cells.length} cells, the header ${header.length}`);
    const out: Row = {};
    header.forEach((name, c) => c !== keyAt && (out[name] = cells[c]));
    table.set(cells[keyAt]!, out);
  });
  return table;
}

function fromJson(text: string, keyColumn: string | undefined): Table {
  const data: unknown = JSON.parse(text);
  if (Array.isArray(data)) {
    const key = keyColumn ?? "key";
    return new Map(data.map((item, i) => {
      if (typeof item !== "object" || item === null || !(key in item)) throw new Error(`row ${i} has no "${key}"`);
      const { [key]: value, ...rest } = item as Row;
      return [String(value), rest];
    }));
  }
  if (typeof data !== "object" || data === null) throw new Error("expected an object of rows by key, or an array of rows");
  return fromObject(data as Record<string, unknown>);
}

export function fromObject(data: Record<string, unknown>): Table {
  return new Map(Object.entries(data).map(([key, value]) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`the row of "${key}" is not an object`);
    return [key, value as Row];
  }));
}

/** Reads a table file (`.csv`, else JSON). */
export function loadTable(path: string, text: string, keyColumn: string | undefined): Table {
  try {
    return /\.csv$/i.test(path) ? fromCsv(text, keyColumn) : fromJson(text, keyColumn);
  } catch (error) {
    throw new Error(`Cannot read the lookup table ${path}: ${(error as Error).message}`);
  }
}
