/**
 * A 50 MB line does not make the collector hold 50 MB: the tail source keeps
 * at most maxLineBytes (1 MiB) of a line, emits it truncated and flagged, and
 * goes on with the next line. Measured on the collector child process's peak
 * RSS against the same run on a file of short lines.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

/** Linux only: the peak RSS of a process, from /proc (read while it runs). */
async function peakRss(args: string[], cwd: string): Promise<{ code: number | null; peakMiB: number; stderr: string }> {
  const { startCli } = await import("./_helpers.ts");
  const run = startCli(args, { cwd, timeoutMs: 60_000 });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${run.child.pid}/status`, "utf8"))?.[1]);
      if (kb > peak) peak = kb;
    } catch {
      // Exited.
    }
  }, 20);
  const r = await run.done;
  clearInterval(timer);
  return { code: r.code, peakMiB: peak / 1024, stderr: r.stderr };
}

test("a 50 MB line is truncated to 1 MiB and flagged; memory stays bounded", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-collect-mem-");
  t.after(cleanup);
  const big = join(dir, "big.log");
  const chunk = Buffer.alloc(1 << 20, 97);
  writeFileSync(big, "2026-11-23T10:00:00Z INFO [x] before\n2026-11-23T10:00:00Z INFO [x] ");
  for (let i = 0; i < 50; i++) appendFileSync(big, chunk);
  appendFileSync(big, "\n2026-11-23T10:00:01Z INFO [x] after\n");
  const small = join(dir, "small.log");
  writeFileSync(small, "2026-11-23T10:00:00Z INFO [x] before\n2026-11-23T10:00:00Z INFO [x] short\n2026-11-23T10:00:01Z INFO [x] after\n");
  const run = (file: string, out: string) => peakRss(["collect", "-i", file, "-o", join(dir, out), "--once", "--parser", "plain-text", "--state-dir", join(dir, `state-${out}`)], dir);
  const baseline = await run(small, "small.jsonl");
  const withBig = await run(big, "big.jsonl");
  assert.equal(withBig.code, 0, withBig.stderr);
  const got = readFileSync(join(dir, "big.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { message: string; tags?: string[] });
  assert.deepEqual(got.map((e) => [e.message.length, e.tags]), [[6, undefined], [1_048_576 - 30, ["_truncated"]], [5, undefined]]);
  assert.match(withBig.stderr, /1 lines over the length limit/);
  if (baseline.peakMiB > 0) {
    const growth = withBig.peakMiB - baseline.peakMiB;
    console.log(`peak RSS: short lines ${baseline.peakMiB.toFixed(0)} MiB, 50 MB line ${withBig.peakMiB.toFixed(0)} MiB (+${growth.toFixed(0)} MiB)`);
    // Holding the line would cost 50 MB of bytes plus 100 MB as a JS string.
    assert.ok(growth < 40, `peak RSS grew by ${growth.toFixed(0)} MiB`);
  }
});
