import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { FileSystem } from "../../core/runtime.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { FileWriter } from "../../core/file-writer.ts";
import { tempDir } from "../../tests/_helpers.ts";

const files = (dir: string) => readdirSync(dir).sort();
const read = (path: string) => readFileSync(path, "utf8");

/** A FileSystem that counts writes, and can be told to fail them. */
function countingFs(): FileSystem & { writes: number; failing: boolean } {
  const fs = {
    ...nodeFileSystem,
    writes: 0,
    failing: false,
    openAppend(path: string) {
      const file = nodeFileSystem.openAppend(path);
      return {
        ...file,
        write(data: Uint8Array) {
          if (fs.failing) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
          fs.writes++;
          file.write(data);
        },
      };
    },
  };
  return fs;
}

test("rotates before a record that would exceed maxBytes; no record split; backups beyond the limit deleted", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 100, backups: 3 });
    const lines = Array.from({ length: 60 }, (_, i) => `line ${String(i).padStart(3, "0")} ${"x".repeat(i % 7)}`);
    for (const line of lines) writer.append([line]);
    writer.close();
    assert.deepEqual(files(dir), ["app.log", "app.log.1", "app.log.2", "app.log.3"]);
    for (const name of files(dir)) assert.ok(statSync(join(dir, name)).size <= 100, `${name} exceeds maxBytes`);
    // Newest last: .3 .2 .1 app.log hold a contiguous, whole-line tail of what was written.
    const kept = ["app.log.3", "app.log.2", "app.log.1", "app.log"].map((n) => read(join(dir, n))).join("");
    assert.ok(kept.endsWith(`${lines.at(-1)}\n`));
    const keptLines = kept.trimEnd().split("\n");
    assert.deepEqual(keptLines, lines.slice(lines.length - keptLines.length));
    // Every file but the current one was filled: the next record would not have fitted.
    for (const n of ["app.log.1", "app.log.2"]) {
      const size = statSync(join(dir, n)).size;
      const next = lines[lines.indexOf(read(join(dir, n === "app.log.1" ? "app.log" : "app.log.1")).split("\n")[0]!)]!;
      assert.ok(size + Buffer.byteLength(next) + 1 > 100, `${n} rotated early`);
    }
  } finally {
    cleanup();
  }
});

test("a record larger than maxBytes gets a file of its own and is never split", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 50, backups: 5 });
    writer.append(["small one", "B".repeat(120), "small two"]);
    writer.close();
    assert.equal(read(`${path}.2`), "small one\n");
    assert.equal(read(`${path}.1`), `${"B".repeat(120)}\n`);
    assert.equal(read(path), "small two\n");
  } finally {
    cleanup();
  }
});

test("maxBytes 0 or backups 0 never rotates, as in Python", () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const [maxBytes, backups] of [[0, 3], [10, 0]] as const) {
      const path = join(dir, `f-${maxBytes}-${backups}.log`);
      const writer = new FileWriter(nodeFileSystem, { path, maxBytes, backups });
      for (let i = 0; i < 100; i++) writer.append([`line ${i}`]);
      writer.close();
      assert.equal(read(path).split("\n").length, 101);
    }
    assert.deepEqual(files(dir), ["f-0-3.log", "f-10-0.log"]);
  } finally {
    cleanup();
  }
});

test("after a restart it continues the existing file and counts its size", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    writeFileSync(path, "x".repeat(90) + "\n"); // 91 bytes already there
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 100, backups: 2 });
    writer.append(["12345678"]); // 9 bytes: 100 in all, fits exactly
    writer.append(["next"]); // would exceed: rotates
    writer.close();
    assert.equal(read(`${path}.1`), `${"x".repeat(90)}\n12345678\n`);
    assert.equal(read(path), "next\n");
  } finally {
    cleanup();
  }
});

test("a header (CSV) starts every file, also after rotation, and counts toward its size", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "a.csv");
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 40, backups: 9, header: "time,level" });
    for (let i = 0; i < 20; i++) writer.append([`t${i},INFO`]);
    writer.close();
    for (const name of files(dir)) {
      const text = read(join(dir, name));
      assert.ok(text.startsWith("time,level\n"), `${name} lacks the header`);
      assert.ok(Buffer.byteLength(text) <= 40);
    }
  } finally {
    cleanup();
  }
});

test("writes are batched: thousands of records cost a handful of writes", () => {
  const { dir, cleanup } = tempDir();
  try {
    const fs = countingFs();
    const writer = new FileWriter(fs, { path: join(dir, "app.log"), maxBytes: 0, backups: 0 });
    for (let b = 0; b < 10; b++) writer.append(Array.from({ length: 1000 }, (_, i) => `record ${b}-${i}`));
    writer.flush();
    writer.close();
    assert.ok(fs.writes <= 3, `expected <= 3 writes for 10,000 records, got ${fs.writes}`);
    assert.equal(read(join(dir, "app.log")).split("\n").length, 10_001);
  } finally {
    cleanup();
  }
});

test("a failed write keeps the bytes; flush throws until it succeeds, then nothing is lost or doubled", () => {
  const { dir, cleanup } = tempDir();
  try {
    const fs = countingFs();
    const path = join(dir, "app.log");
    const writer = new FileWriter(fs, { path, maxBytes: 30, backups: 3, highWater: 1 });
    fs.failing = true;
    writer.append(["one", "two"]); // accepted, write fails and is kept
    assert.throws(() => writer.flush(), /ENOSPC/);
    assert.throws(() => writer.append(["three"]), /ENOSPC/, "new records are refused while the old ones cannot be written");
    fs.failing = false;
    writer.append(["three", "a-longer-line-to-force-rotation"]);
    writer.close();
    const all = [`${path}.1`, path].map(read).join("");
    assert.equal(all, "one\ntwo\nthree\na-longer-line-to-force-rotation\n");
  } finally {
    cleanup();
  }
});

test("a huge batch is written as it is taken: the buffer stays near its high-water mark", () => {
  const { dir, cleanup } = tempDir();
  try {
    const fs = countingFs();
    const writer = new FileWriter(fs, { path: join(dir, "big.log"), maxBytes: 0, backups: 0 });
    writer.append(Array.from({ length: 100_000 }, (_, i) => `a line of about sixty bytes, number ${String(i).padStart(6, "0")}`));
    assert.ok(writer.buffered < 512 * 1024, `${writer.buffered} bytes held after taking 4.3 MB`);
    assert.ok(fs.writes >= 9, `${fs.writes} writes for 4.3 MB: written in pieces of at most 512 KiB`);
    writer.close();
    assert.equal(statSync(join(dir, "big.log")).size, 100_000 * 43);
  } finally {
    cleanup();
  }
});
