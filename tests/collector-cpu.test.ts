/**
 * End to end: a following collector sleeps when there is nothing to read. Its CPU time is read from
 * /proc/<pid>/stat (utime + stime, in clock ticks) over windows of wall time: at 50 lines/s under 20%
 * of a core, idle after a burst under 10%, and SIGTERM after a burst exits within a second plus the
 * flush. A spinning follower took 71-95%. Since each line is read as soon as it arrives (follow
 * latency in milliseconds: one batch, flush and ack per line at 50 lines/s, where a fixed 100 ms
 * delay used to make one per 5 lines), 50 lines/s measured 8-12% on a machine at load 17 (5-7%
 * before); the tail source's `linger` option trades the latency back for that CPU.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";
import { lineCount } from "./_collector.ts";

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // fields 14 and 15 of proc(5)
}

/** The share of a core `pid` used while `during` ran. */
async function cpuShare(pid: number, during: () => Promise<void>): Promise<number> {
  const cpu = cpuSeconds(pid);
  const t = performance.now();
  await during();
  return (cpuSeconds(pid) - cpu) / ((performance.now() - t) / 1000);
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test("a following collector sleeps: under 20% of a core at 50 lines/s, 10% idle after a burst; SIGTERM is quick", { timeout: 120_000, skip: !existsSync("/proc/self/stat") }, async () => {
  const { dir, cleanup } = tempDir("logsim-collect-cpu-");
  try {
    const log = join(dir, "app.log");
    const out = join(dir, "collected.jsonl");
    writeFileSync(log, "");
    const collector = startCli(["collect", "--input", log, "--output", out, "--state-dir", join(dir, "state"), "--quiet"], { cwd: dir, timeoutMs: 110_000 });
    const pid = collector.child.pid!;
    let written = 0;
    const write = (n: number) => {
      let text = "";
      for (let i = 0; i < n; i++) text += `2026-11-29T10:00:00Z INFO line ${++written} ${"x".repeat(80)}\n`;
      appendFileSync(log, text);
    };
    await waitFor(() => existsSync(join(dir, "state")), 30_000, "the collector to start");
    write(1);
    await waitFor(() => lineCount(out) === 1, 30_000, "the first line");
    await pause(1000); // let start-up work (JIT, first flush) settle

    const steady = await cpuShare(pid, async () => {
      const end = performance.now() + 3000;
      while (performance.now() < end) {
        write(1);
        await pause(20);
      }
    });
    await waitFor(() => lineCount(out) === written, 30_000, "the steady lines");

    const burstEnd = performance.now() + 1500;
    while (performance.now() < burstEnd) {
      write(500);
      await pause(5);
    }
    await waitFor(() => lineCount(out) === written, 60_000, "the burst");
    const idle = await cpuShare(pid, () => pause(2000));

    const burst2 = performance.now() + 1500;
    while (performance.now() < burst2) {
      write(500);
      await pause(5);
    }
    const t = performance.now();
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    const exitMs = performance.now() - t;
    console.log(`collector CPU: ${(steady * 100).toFixed(1)}% at 50 lines/s, ${(idle * 100).toFixed(1)}% idle after a burst; SIGTERM after a burst: exit in ${Math.round(exitMs)} ms`);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(steady < 0.2, `${(steady * 100).toFixed(1)}% of a core at 50 lines/s`);
    assert.ok(idle < 0.1, `${(idle * 100).toFixed(1)}% of a core idle after a burst`);
    assert.ok(exitMs < 3000, `SIGTERM took ${Math.round(exitMs)} ms`);
  } finally {
    cleanup();
  }
});
