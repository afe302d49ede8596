import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { nodeFileSystem as fs } from "./node-fs.ts";

const state = (n: number, pathBytes = 20) => `${JSON.stringify({ version: 1, files: Array.from({ length: n }, (_, i) => ({ path: `/${"x".repeat(pathBytes)}/${i}`, offset: i * 1000 })) })}\n`;

test("writeAtomic inPlace: a small state is overwritten in the same file, padded to its length, and reads back as the new value", () => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-fs-"));
  try {
    const path = join(dir, "s.json");
    fs.writeAtomic(path, state(3), { sync: false, inPlace: true }); // No file yet: written and renamed.
    assert.equal(readFileSync(path, "utf8"), state(3));
    const inode = statSync(path).ino;

    fs.writeAtomic(path, state(1), { sync: false, inPlace: true }); // Shorter: padded.
    const shorter = readFileSync(path, "utf8");
    assert.equal(statSync(path).ino, inode, "the same file, not a new one renamed over it");
    assert.equal(shorter.length, state(3).length, "padded to the old length: nothing old is left past the end");
    assert.deepEqual(JSON.parse(shorter), JSON.parse(state(1)));
    assert.ok(shorter.endsWith(" \n") && shorter.startsWith(state(1).trimEnd()), "spaces, then the newline");

    fs.writeAtomic(path, state(10), { sync: false, inPlace: true }); // Longer, still within a page.
    assert.equal(statSync(path).ino, inode);
    assert.equal(readFileSync(path, "utf8"), state(10));
    assert.deepEqual(readdirSync(dir), ["s.json"], "no temp file left");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeAtomic inPlace: past a page, with sync, or without the option, the file is replaced by a rename", () => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-fs-"));
  try {
    const path = join(dir, "s.json");
    writeFileSync(path, state(1));
    const big = state(100);
    assert.ok(Buffer.byteLength(big) > 4096);
    let inode = statSync(path).ino;
    fs.writeAtomic(path, big, { sync: false, inPlace: true });
    assert.notEqual(statSync(path).ino, inode, "a text over a page: one write of it could be cut by a kill");
    assert.equal(readFileSync(path, "utf8"), big);

    inode = statSync(path).ino;
    fs.writeAtomic(path, state(2), { sync: false, inPlace: true });
    assert.notEqual(statSync(path).ino, inode, "a file over a page is not padded in place");
    assert.equal(readFileSync(path, "utf8"), state(2), "its length is the new text's");

    for (const options of [{ sync: true, inPlace: true }, { sync: false }, undefined]) {
      inode = statSync(path).ino;
      fs.writeAtomic(path, state(4), options);
      assert.notEqual(statSync(path).ino, inode, `renamed with ${JSON.stringify(options)}`);
      assert.equal(readFileSync(path, "utf8"), state(4));
    }
    // Multi-byte characters: the page is counted in bytes, not characters.
    const wide = `${JSON.stringify({ path: "é".repeat(2100) })}\n`;
    assert.ok(wide.length < 4096 && Buffer.byteLength(wide) > 4096);
    inode = statSync(path).ino;
    fs.writeAtomic(path, wide, { sync: false, inPlace: true });
    assert.notEqual(statSync(path).ino, inode);
    assert.equal(readFileSync(path, "utf8"), wide);
    assert.deepEqual(readdirSync(dir), ["s.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
