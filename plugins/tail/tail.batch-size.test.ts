/**
 * How much a batch of the tail holds: 64 KiB of lines by default; 128 KiB when the pipeline parses in
 * worker threads (the context carries `lineBlocks`), where each batch is a message to a thread and
 * back; what the user set, either way. Lines per batch stay capped by `batchLines`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BlockBuffers, linesIn, type Batch } from "../../core/mod.ts";
import { createTestContext, runSource } from "../../testing/mod.ts";
import { tail } from "./mod.ts";

const LINE = `${"x".repeat(199)}\n`; // 200 bytes: 327 lines in 64 KiB, 655 in 128 KiB.

async function firstBatchLines(options: { threads: boolean; batchBytes?: number; batchLines?: number }): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "logsim-tail-batch-"));
  try {
    writeFileSync(join(dir, "app.log"), LINE.repeat(3000));
    const test = await createTestContext();
    const context = options.threads ? { ...test, ctx: { ...test.ctx, lineBlocks: new BlockBuffers() } } : test;
    const spec = tail({ include: [join(dir, "app.log")], once: true, stateDir: join(dir, "state"), ...(options.batchBytes ? { batchBytes: options.batchBytes } : {}), ...(options.batchLines ? { batchLines: options.batchLines } : {}) });
    const run = await runSource(spec, { context });
    const first: Batch = run.batches[0]!;
    const all = run.batches.reduce((n, b) => n + b.entries.length + linesIn(b.blocks ?? []), 0);
    assert.equal(all, 3000, "every line, whatever the batch size");
    return first.entries.length + linesIn(first.blocks ?? []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a batch holds 64 KiB of lines on one thread, 128 KiB when the lines go to worker threads, and what batchBytes says when it is set", async () => {
  const one = await firstBatchLines({ threads: false });
  const threads = await firstBatchLines({ threads: true });
  assert.ok(one >= 320 && one <= 330, `one thread: ${one} lines of 200 bytes`);
  assert.ok(threads >= 650 && threads <= 660, `threads: ${threads} lines of 200 bytes`);
  assert.equal(await firstBatchLines({ threads: true, batchBytes: 64 * 1024 }), one, "a set batchBytes wins");
  assert.equal(await firstBatchLines({ threads: true, batchLines: 100 }), 100, "batchLines still caps a batch");
});
