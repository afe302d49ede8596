/**
 * Property test of rotation against a model of Python's RotatingFileHandler:
 * for random lines (ASCII, multi-byte, empty, oversized), batchings and
 * limits, the files hold exactly what the model says they should.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { FileWriter } from "../../core/file-writer.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { propertyParameters, propertyTimeout } from "../../tests/_property.ts";

const encoder = new TextEncoder();

/** The expected files, newest last, from the rule: rotate before a line that would exceed maxBytes, unless the file is empty. */
function model(lines: string[], maxBytes: number, backups: number, header?: string): string[] {
  const files: string[] = [];
  const head = header === undefined ? "" : `${header}\n`;
  let current = head;
  for (const line of lines) {
    const bytes = encoder.encode(`${line}\n`).length;
    if (encoder.encode(current).length + bytes > maxBytes && current.length > head.length) {
      files.push(current);
      current = head;
    }
    current += `${line}\n`;
  }
  files.push(current);
  return files.slice(-(backups + 1));
}

const line = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 80, maxLength: 200 }) },
).map((s) => s.replace(/\n/g, " "));

test("rotation matches the RotatingFileHandler model for any lines, batches and limits", { timeout: propertyTimeout(200, 120_000) }, () => {
  const { dir, cleanup } = tempDir();
  let run = 0;
  try {
    fc.assert(
      fc.property(
        fc.array(fc.array(line, { maxLength: 30 }), { maxLength: 8 }),
        fc.integer({ min: 20, max: 300 }),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.constantFrom("a,b,c", "time,level,message"), { nil: undefined }),
        (batches, maxBytes, backups, header) => {
          const path = join(dir, `r${run++}.log`);
          const writer = new FileWriter(nodeFileSystem, { path, maxBytes, backups, header, highWater: 64 });
          for (const batch of batches) writer.append(batch);
          writer.close();
          const expected = model(batches.flat(), maxBytes, backups, header);
          const names = [...Array.from({ length: backups }, (_, i) => `${path}.${backups - i}`), path];
          const actual = names.filter((n) => existsSync(n)).map((n) => readFileSync(n, "utf8"));
          assert.deepEqual(actual, expected);
        },
      ),
      propertyParameters(200),
    );
  } finally {
    cleanup();
  }
});
