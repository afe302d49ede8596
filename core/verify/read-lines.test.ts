import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { gzipSync } from "node:zlib";
import { isGzipFile, readGzipLines, readLines } from "./read-lines.ts";

function linesOf(content: Uint8Array | string, options: Parameters<typeof readLines>[3] = {}): Array<[string, boolean, boolean]> {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "f");
    writeFileSync(path, content);
    const out: Array<[string, boolean, boolean]> = [];
    readLines(nodeFileSystem, path, (line, bad, long) => out.push([line, bad, long]), options);
    return out;
  } finally {
    cleanup();
  }
}

test("lines across chunk boundaries, CRLF, and a last line without its newline", () => {
  const text = "alpha\r\nbravo\ncharlie-is-long\n\ndelta";
  assert.deepEqual(linesOf(text, { chunkBytes: 4 }).map((l) => l[0]), ["alpha", "bravo", "charlie-is-long", "", "delta"]);
  assert.deepEqual(linesOf(text).map((l) => l[0]), ["alpha", "bravo", "charlie-is-long", "", "delta"]);
});

test("invalid UTF-8 is flagged on its line only; a line past the limit keeps its start and the next line is read whole", () => {
  const bytes = new Uint8Array([...Buffer.from("ok\nb"), 0xc3, 0x28, 0xff, ...Buffer.from("ad\nnext\n")]);
  assert.deepEqual(linesOf(bytes, { chunkBytes: 3 }).map((l) => [l[0].length > 0, l[1]]), [[true, false], [true, true], [true, false]]);
  const long = `${"x".repeat(100)}\nafter\n`;
  assert.deepEqual(linesOf(long, { chunkBytes: 8, maxLineBytes: 32 }), [["x".repeat(32), false, true], ["after", false, false]]);
});

test("a gzip-compressed file is read as a stream, several members one after another included", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "f.gz");
    writeFileSync(path, Buffer.concat([gzipSync("one\ntwo\nthr"), gzipSync("ee\nfour\n")]));
    assert.equal(isGzipFile(nodeFileSystem, path), true);
    const out: string[] = [];
    await readGzipLines(nodeFileSystem, path, (line) => out.push(line), { chunkBytes: 7 });
    assert.deepEqual(out, ["one", "two", "three", "four"]);
    writeFileSync(path, Buffer.concat([gzipSync("one\n").subarray(0, 12), Buffer.from("not gzip at all")]));
    await assert.rejects(readGzipLines(nodeFileSystem, path, () => {}));
  } finally {
    cleanup();
  }
});
