/**
 * The rotating-file writer against per-line writes, in one run (ratios, not
 * absolute figures, are what to compare on a noisy machine).
 *   bun bench/file-writer.bench.ts | deno run -A bench/file-writer.bench.ts | node --import tsx bench/file-writer.bench.ts
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bench } from "tinybench";
import { compileTemplate, DEFAULT_TEMPLATE } from "../core/template.ts";
import type { LogRecord } from "../core/types.ts";
import { FileWriter } from "../plugins/_shared/file-writer.ts";
import { nodeFileSystem } from "../runtime/shared/node-fs.ts";

const LINES = 10_000;
const dir = mkdtempSync(join(tmpdir(), "logsim-bench-"));
const format = compileTemplate(DEFAULT_TEMPLATE);
const start = Date.now();
const records: LogRecord[] = Array.from({ length: LINES }, (_, i) => ({ time: start + i, level: "INFO", message: `request ${i} served in ${i % 250} ms` }));
let n = 0;

const bench = new Bench({ time: 2000, warmupTime: 300 });
bench
  .add(`FileWriter, rotating at 1 MiB x 3 (${LINES} records per op)`, () => {
    const writer = new FileWriter(nodeFileSystem, { path: join(dir, `rot-${n++}.log`), maxBytes: 1_048_576, backups: 3 });
    writer.append(records.map(format));
    writer.close();
  })
  .add(`writeSync per line, no rotation (${LINES} records per op)`, () => {
    const fd = openSync(join(dir, `line-${n++}.log`), "a");
    for (const r of records) writeSync(fd, `${format(r)}\n`);
    closeSync(fd);
  });

await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50?: number }; period?: number } | undefined;
  const ms = r?.latency?.p50 ?? r?.period ?? NaN;
  return { task: t.name, "median ms/op": ms.toFixed(2), "records/s": Math.round((LINES / ms) * 1000).toLocaleString("en-US") };
});
console.table(rows);
const [batched, perLine] = rows.map((r) => Number(r["median ms/op"]));
console.log(`batched is ${(perLine! / batched!).toFixed(1)}x faster than a write per line (median of each, same run)`);
rmSync(dir, { recursive: true, force: true });
