/** CSV written by logsim reads back through logsim's csv parser, records spanning lines included. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { LogRecord, RawLine } from "../../core/types.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { generateToFile, readLines, tempDir } from "../generator/_test-helpers.ts";
import { csvFormat } from "../../core/line-format.ts";
import { CsvParser, csvCells, envAt } from "./mod.ts";

const NOW = envAt(Date.parse("2026-11-24T00:00:00Z"));
const HOSTILE = ['say "hi", ok', "line\nbreak", "cr\ronly", "crlf\r\nend", "\n", '"', '""', "a,b", " spaced ", "=1+1", "+SUM(A1)", "-cmd", "@x", "naïve ☃", '{"not":"json', "trailing\n"];

/** RFC 4180 records of a file: a line break inside quotes does not end a record (as a multiline source joins lines). */
function records(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === "\n" && !quoted) {
      out.push({ text: text.slice(start, i), offset: Buffer.byteLength(text.slice(0, start)) });
      start = i + 1;
    }
  }
  return out;
}

test("csvCells: a quoted cell may hold line breaks, CRs, commas and doubled quotes", () => {
  assert.deepEqual(csvCells('a,"x\ny\r\nz","say ""hi"", ok",'), ["a", "x\ny\r\nz", 'say "hi", ok', ""]);
  assert.deepEqual(csvCells('"\n"'), ["\n"]);
  assert.equal(csvCells('a,"open\nstill open'), undefined, "a record cut inside a quoted cell is incomplete");
  const cut = new CsvParser(nodeFileSystem, { columns: ["a", "b"] }).parse({ kind: "line", text: 'x,"first line of two', origin: { file: "f.csv", offset: 9 } }, NOW);
  assert.match(cut._unsafeUnwrapErr().reason, /^unterminated quoted CSV cell \(a record whose quoted cell spans lines must reach the parser whole/);
});

test("csv: hostile values round-trip through csvFormat and the csv parser, spreadsheet formulas verbatim", (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const format = csvFormat();
  const file = join(dir, "hostile.csv");
  const written = HOSTILE.map((v, i): LogRecord => ({ time: Date.parse("2026-11-23T10:00:00.123Z") + i, level: "WARN", service: v, message: v, fields: { user_id: v, path: v, note: v, n: i } }));
  const text = `${format.header}\n${written.map((r) => format.format(r)).join("\n")}\n`;
  writeFileSync(file, text);
  const rows = records(text);
  assert.equal(rows.length, HOSTILE.length + 1);
  // One parser reads the header row; the other starts mid-file and reads the header from the file.
  const fresh = new CsvParser(nodeFileSystem, {});
  const midFile = new CsvParser(nodeFileSystem, {});
  const line = (r: { text: string; offset: number }): RawLine => ({ kind: "line", text: r.text, origin: { file, offset: r.offset } });
  assert.ok(fresh.parse(line(rows[0]!), NOW)._unsafeUnwrapErr().skip, "the header row");
  rows.slice(1).forEach((row, i) => {
    const v = HOSTILE[i]!;
    for (const parser of [fresh, midFile]) {
      const r = parser.parse(line(row), NOW);
      assert.ok(r.isOk(), `${JSON.stringify(v)}: ${r.isErr() ? r.error.reason : ""}`);
      assert.deepEqual([r.value.time, r.value.service, r.value.message, r.value.fields], [written[i]!.time, v, v, { user_id: v, path: v, note: v, n: i }], JSON.stringify(row.text));
    }
  });
  assert.match(text, /,=1\+1,/, "a formula is written as it is, not defused with a ' prefix");
});

test("csv: the generator writes quoted line breaks in its columns, and every record reads back", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const options = { count: 500, seed: 9, startTime: "2026-11-23T10:00:00Z", fields: { path: { oneOf: ["/a\nb", "/c\r\nd", '/q?x="1",y'] }, note: { oneOf: ["x\ny", "=cmd"] } } };
  await generateToFile(options, join(dir, "events.csv"), "csv");
  await generateToFile(options, join(dir, "events.json"), "json");
  const events = readLines(join(dir, "events.json")).map((l) => JSON.parse(l) as Record<string, unknown>);
  const text = readFileSync(join(dir, "events.csv"), "utf8");
  const rows = records(text).slice(1);
  assert.ok(text.split("\n").length > rows.length + 100, "records span lines");
  assert.equal(rows.length, 500);
  const parser = new CsvParser(nodeFileSystem, {});
  rows.forEach((row, i) => {
    const r = parser.parse({ kind: "line", text: row.text, origin: { file: join(dir, "events.csv"), offset: row.offset } }, NOW)._unsafeUnwrap();
    const e = events[i]!;
    assert.deepEqual([new Date(r.time).toISOString(), r.message, r.fields?.path, r.fields?.note, r.fields?.seq], [e.timestamp, e.message, e.path, e.note, e.seq], `record ${i + 1}`);
  });
});
