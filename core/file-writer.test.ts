/**
 * FileWriter and torn lines: a last line without its newline found on open
 * (a crash mid-write), and a write that fails part way (a full disk).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { nodeFileSystem } from "../runtime/shared/node-fs.ts";
import { tempDir } from "../tests/_helpers.ts";
import { smallDisk } from "../tests/_small-disk.ts";
import { DeadLetter } from "./dead-letter.ts";
import { FileWriter, type TornLine } from "./file-writer.ts";

const read = (path: string) => readFileSync(path, "utf8");

for (const [torn, expected] of [
  ["terminate", '{"n":1}\n{"message":"cut in the mid\n{"n":2}\n'],
  ["truncate", '{"n":1}\n{"n":2}\n'],
] as const) {
  test(`a last line without newline found on open is ${torn}d before the next line is appended`, () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "out.jsonl");
      writeFileSync(path, '{"n":1}\n{"message":"cut in the mid');
      const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 0, backups: 0, torn });
      writer.append(['{"n":2}']);
      writer.close();
      assert.equal(read(path), expected);
    } finally {
      cleanup();
    }
  });
}

test("torn lines on open: a whole file is left alone, a file of one torn line, a torn line longer than a read, a CSV header", () => {
  const { dir, cleanup } = tempDir();
  try {
    const cases: Array<[name: string, before: string, torn: TornLine, header: string | undefined, after: string]> = [
      ["whole", "a\nb\n", "truncate", undefined, "a\nb\nc\n"],
      ["whole-t", "a\nb\n", "terminate", undefined, "a\nb\nc\n"],
      ["only-torn", "cut", "truncate", undefined, "c\n"],
      ["only-torn-t", "cut", "terminate", undefined, "cut\nc\n"],
      ["long", `a\n${"x".repeat(200_000)}`, "truncate", undefined, "a\nc\n"],
      ["long-nl", `${"x".repeat(200_000)}`, "truncate", undefined, "c\n"],
      ["csv", "time,level", "truncate", "time,level", "time,level\nc\n"],
    ];
    for (const [name, before, torn, header, after] of cases) {
      const path = join(dir, name);
      writeFileSync(path, before);
      const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 0, backups: 0, torn, header });
      writer.append(["c"]);
      writer.close();
      assert.equal(read(path), after, name);
    }
  } finally {
    cleanup();
  }
});

test("a rotating file that ends a torn line counts its newline toward maxBytes", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    writeFileSync(path, "x".repeat(9)); // 9 bytes, no newline: 10 once ended
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 14, backups: 2 });
    writer.append(["1234"]); // 5 bytes: 15 > 14, so it rotates
    writer.close();
    assert.equal(read(`${path}.1`), `${"x".repeat(9)}\n`);
    assert.equal(read(path), "1234\n");
  } finally {
    cleanup();
  }
});

test("the dead-letter file cuts away a torn last entry before adding its own", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "dead.jsonl");
    writeFileSync(path, '{"line":"one"}\n{"line":"tw');
    const dead = new DeadLetter(nodeFileSystem, path);
    dead.add({ kind: "line", text: "three" }, "no parser", 0, "p");
    dead.close();
    const lines = read(path).trimEnd().split("\n").map((l) => JSON.parse(l) as { line: string });
    assert.deepEqual(lines.map((l) => l.line), ["one", "three"]);
  } finally {
    cleanup();
  }
});

test("a write that fails part way (ENOSPC) is cut back to its last whole line; once there is room, every line is written once", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "out.jsonl");
    const fs = smallDisk(25);
    const writer = new FileWriter(fs, { path, maxBytes: 0, backups: 0, torn: "truncate" });
    const lines = Array.from({ length: 6 }, (_, i) => `{"n":${i},"pad":"xx"}`); // 19 bytes each with the newline
    writer.append(lines.slice(0, 3));
    assert.throws(() => writer.flush(), /ENOSPC/);
    assert.equal(read(path), `${lines[0]}\n`, "the torn second line is cut away");
    assert.throws(() => writer.append(lines.slice(3)), /ENOSPC/, "new lines are refused while the disk is full");
    assert.throws(() => writer.flush(), /ENOSPC/);
    assert.equal(read(path), `${lines[0]}\n`);
    fs.room = 1_000;
    writer.append(lines.slice(3));
    writer.close();
    assert.equal(read(path), lines.map((l) => `${l}\n`).join(""));
  } finally {
    cleanup();
  }
});

test("with torn 'terminate' the file never shrinks: the retry completes the line a failed write began", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    const fs = smallDisk(25);
    const writer = new FileWriter(fs, { path, maxBytes: 0, backups: 0 });
    writer.append(["0123456789abcdefgh", "second line of text"]);
    assert.throws(() => writer.flush(), /ENOSPC/);
    assert.equal(read(path), "0123456789abcdefgh\nsecond");
    fs.room = 1_000;
    writer.close();
    assert.equal(read(path), "0123456789abcdefgh\nsecond line of text\n");
  } finally {
    cleanup();
  }
});

test("a partial write in a rotating file after a rotation cuts back within the new file", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.jsonl");
    const fs = smallDisk(30);
    const writer = new FileWriter(fs, { path, maxBytes: 20, backups: 2, torn: "truncate" });
    writer.append(["a".repeat(15), "b".repeat(15), "c".repeat(15)]); // one line per file; 16 bytes each
    assert.throws(() => writer.flush(), /ENOSPC/);
    fs.room = 1_000;
    writer.close();
    assert.equal(read(`${path}.2`), `${"a".repeat(15)}\n`);
    assert.equal(read(`${path}.1`), `${"b".repeat(15)}\n`);
    assert.equal(read(path), `${"c".repeat(15)}\n`);
  } finally {
    cleanup();
  }
});
