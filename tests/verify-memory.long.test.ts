/**
 * `logsim verify` over 10,000,000 lines stays under 200 MiB of peak RSS (the issue's
 * bound): bitmaps per generator and one chunk of the file at a time, never the file.
 * Linux only (peak RSS from /proc); long mode only (the input is 339 MB).
 */
import assert from "node:assert/strict";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startCli, tempDir } from "./_helpers.ts";

const LINES = 10_000_000;
const DELETED = new Set([3, 4_000_000, 4_000_001, 9_999_999, 10_000_000]);
const DUPLICATED = new Set([10, 5_000_000, 7_777_777]);

/** The output: minimal records, 5 deleted and 3 duplicated, written in 1 MiB pieces. */
function writeOutput(path: string): void {
  const fd = openSync(path, "w");
  try {
    let piece = "";
    for (let seq = 1; seq <= LINES; seq++) {
      if (DELETED.has(seq)) continue;
      const line = `{"generator":"gen","seq":${seq}}\n`;
      piece += DUPLICATED.has(seq) ? line + line : line;
      if (piece.length > 1 << 20) (writeSync(fd, piece), (piece = ""));
    }
    writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

async function peakRss(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; peakMiB: number }> {
  const run = startCli(args, { cwd, timeoutMs: 1_500_000 });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${run.child.pid}/status`, "utf8"))?.[1]);
      if (kb > peak) peak = kb;
    } catch {
      // Exited.
    }
  }, 50);
  const r = await run.done;
  clearInterval(timer);
  return { ...r, peakMiB: peak / 1024 };
}

test("verify: 10,000,000 lines under 200 MiB peak RSS, with exactly the 5 lost and 3 duplicated found", { timeout: 1_800_000 }, async (t) => {
  if (process.platform !== "linux") return t.skip("peak RSS is read from /proc");
  const { dir, cleanup } = tempDir();
  try {
    writeOutput(join(dir, "out.jsonl"));
    const r = await peakRss(["verify", "--expected", String(LINES), "--actual", "out.jsonl", "--json"], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const gen = report.generators[0];
    assert.equal(gen.lost.count, 5);
    assert.deepEqual(gen.lost.ranges, [{ from: 3, to: 3 }, { from: 4_000_000, to: 4_000_001 }, { from: 9_999_999, to: 10_000_000 }]);
    assert.equal(gen.duplicated.extraCopies, 3);
    console.log(`verify 10,000,000 lines: peak RSS ${r.peakMiB.toFixed(0)} MiB, ${Math.round(report.linesPerSecond).toLocaleString("en-US")} lines/s (wall clock)`);
    if (r.peakMiB > 0) assert.ok(r.peakMiB < 200, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  } finally {
    cleanup();
  }
});
