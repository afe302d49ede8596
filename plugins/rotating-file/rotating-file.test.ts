import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { FileSystem } from "../../core/runtime.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { FileWriter } from "../../core/file-writer.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { MAX_BACKUPS, rotatingFileSchema } from "./mod.ts";

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

test("rotation renames only the backups that exist (found by listing): backups 1e9 costs no more than 3", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    // Looking up every possible name (app.log.999999999 ... app.log.1) is what hung `generate --backups 1000000000`.
    let stats = 0;
    const fs: FileSystem = {
      ...nodeFileSystem,
      stat(p) {
        if (++stats > 1000) throw new Error(`stat called ${stats} times`);
        return nodeFileSystem.stat(p);
      },
    };
    const writer = new FileWriter(fs, { path, maxBytes: 10, backups: 1_000_000_000 });
    for (let i = 1; i <= 6; i++) writer.append([`line ${i}`]);
    writer.close();
    assert.deepEqual(files(dir), ["app.log", "app.log.1", "app.log.2", "app.log.3", "app.log.4", "app.log.5"]);
    assert.equal(read(`${path}.5`), "line 1\n");
    assert.equal(read(path), "line 6\n");
    assert.ok(stats < 50, `${stats} stat calls`);
  } finally {
    cleanup();
  }
});

test("rotation by listing keeps Python's semantics: gaps close only at the top, other names and numbers >= backups are left alone", () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    for (const name of ["app.log.1", "app.log.3", "app.log.5", "app.log.01", "app.log.bak", "app.log.2x", "other.log.1"]) writeFileSync(join(dir, name), `${name}\n`);
    writeFileSync(path, "current\n");
    const writer = new FileWriter(nodeFileSystem, { path, maxBytes: 10, backups: 4 });
    writer.append(["new line"]);
    writer.close();
    // 3 -> 4, 1 -> 2, app.log -> 1; app.log.5 (beyond backups) and look-alike names untouched.
    assert.deepEqual(files(dir), ["app.log", "app.log.01", "app.log.1", "app.log.2", "app.log.2x", "app.log.4", "app.log.5", "app.log.bak", "other.log.1"]);
    assert.equal(read(`${path}.4`), "app.log.3\n");
    assert.equal(read(`${path}.2`), "app.log.1\n");
    assert.equal(read(`${path}.1`), "current\n");
    assert.equal(read(`${path}.5`), "app.log.5\n");
    assert.equal(read(path), "new line\n");
    // The oldest kept one is replaced, as before: with 3 backups app.log.2 -> app.log.3 overwrites it.
    const again = new FileWriter(nodeFileSystem, { path, maxBytes: 10, backups: 3 });
    writeFileSync(`${path}.3`, "old three\n");
    again.append(["newest!"]);
    again.close();
    assert.equal(read(`${path}.3`), "app.log.1\n");
    assert.equal(read(`${path}.4`), "app.log.3\n", "4 >= backups: left alone");
  } finally {
    cleanup();
  }
});

test("backups is bounded with a clear message (config and generate --backups)", () => {
  const parse = (backups: number) => rotatingFileSchema.safeParse({ backups });
  assert.ok(parse(MAX_BACKUPS).success);
  const refused = parse(1_000_000_000);
  assert.ok(!refused.success);
  assert.equal(refused.error.issues[0]!.message, "expected at most 10,000 backups (rotated files kept)");
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
