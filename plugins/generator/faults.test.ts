import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateToFile, tempDir } from "./_test-helpers.ts";

const COUNT = 5000;
const fatal = new TextDecoder("utf-8", { fatal: true });

/** Splits a file into its physical lines as bytes; `complete` says whether it ends with a newline. */
function byteLines(path: string): { lines: Uint8Array[]; complete: boolean } {
  const bytes = readFileSync(path);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) (lines.push(bytes.subarray(start, i)), (start = i + 1));
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return { lines, complete: bytes[bytes.length - 1] === 0x0a };
}

const parses = (bytes: Uint8Array) => {
  try {
    JSON.parse(fatal.decode(bytes));
    return true;
  } catch {
    return false;
  }
};

test("faults are off by default", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const report = await generateToFile({ count: COUNT, seed: 2 }, join(dir, "clean.log"));
    assert.deepEqual(report.faults, { truncated: 0, badUtf8: 0, overlong: 0, noNewline: 0 });
    const { lines, complete } = byteLines(join(dir, "clean.log"));
    assert.ok(complete);
    assert.equal(lines.filter(parses).length, COUNT);
  } finally {
    cleanup();
  }
});

test("each kind of malformed line appears exactly as often as the report says", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const run = async (kind: string) => {
      const path = join(dir, `${kind}.log`);
      const report = await generateToFile({ count: COUNT, seed: 9, faults: { [kind]: 0.02, overlongBytes: 80_000 } }, path);
      const count = report.faults[kind as keyof typeof report.faults];
      assert.ok(count > 40 && count < 170, `${kind}: ${count} faults for 2% of ${COUNT}`);
      return { count, ...byteLines(path) };
    };

    const truncated = await run("truncated");
    assert.equal(truncated.lines.length, COUNT);
    assert.equal(truncated.lines.filter((l) => !parses(l)).length, truncated.count);

    const badUtf8 = await run("badUtf8");
    assert.equal(badUtf8.lines.length, COUNT);
    const invalid = badUtf8.lines.filter((l) => {
      try {
        fatal.decode(l);
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(invalid.length, badUtf8.count);

    const overlong = await run("overlong");
    assert.equal(overlong.lines.length, COUNT);
    assert.equal(overlong.lines.filter((l) => l.length > 80_000).length, overlong.count);
    assert.equal(overlong.lines.filter(parses).length, COUNT, "over-long lines are still well formed");

    // A line without its newline runs into the next one: one physical line fewer per fault,
    // except when it is the very last line (then the file simply does not end with a newline).
    const noNewline = await run("noNewline");
    const last = noNewline.complete ? 0 : 1;
    assert.equal(noNewline.lines.length, COUNT - noNewline.count + last);
    assert.equal(noNewline.lines.filter((l) => !parses(l)).length, noNewline.count - last);
  } finally {
    cleanup();
  }
});
