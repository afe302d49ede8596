/**
 * The long chaos run against logsim's own collector: minutes of writing with rename rotation,
 * copytruncate, gzip, slow writes, lines left without a newline and a kill -9 of the collector
 * every few seconds (restarted each time). Every line is delivered but those the driver put at
 * risk; duplicates stay within the batches in flight per kill. LOGSIM_CHAOS_SECONDS sets the
 * length (default 120); the figures go to stderr for docs/chaos.md.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { chaosAgainstCollect } from "./_chaos-run.ts";
import { tempDir } from "./_helpers.ts";

const SECONDS = Number(process.env.LOGSIM_CHAOS_SECONDS ?? 120);
const IN_FLIGHT_PER_KILL = (2 + 1) * 1000;

test(`chaos for ${SECONDS} s with a kill -9 every few seconds: nothing lost that the driver did not put at risk`, { timeout: (SECONDS + 300) * 1000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-chaos-long-");
  try {
    const flags = ["--rate", "2000", "--duration", `${SECONDS}s`, "--events", "rotate=6,copytruncate=3,gzip=2,slow-write=4,no-newline=1,kill=12/min", "--every", "300ms", "--generations", "1000", "--seed", "15", "--hold", "500ms", "--min-up", "1500ms", "--settle", "5s", "--max-pause", "1s", "--quiet"];
    const run = await chaosAgainstCollect(dir, flags, { timeoutMs: (SECONDS + 200) * 1000, catchUpMs: 120_000 });
    const count = (kind: string) => run.report.chaos.log.filter((e) => e.kind === kind).length;
    const figures = {
      runtime: (globalThis as { Bun?: unknown; Deno?: unknown }).Bun ? "bun" : (globalThis as { Deno?: unknown }).Deno ? "deno" : "node",
      lines: run.report.emitted,
      seconds: Math.round(run.report.chaos.elapsedMs / 1000),
      rotations: count("rotate"),
      copytruncates: count("copytruncate"),
      gzips: count("gzip"),
      slowWrites: count("slow-write"),
      noNewline: count("no-newline"),
      kills: run.kills,
      killsSkipped: count("kill") - run.kills,
      lost: run.delivery.lostCount,
      excused: run.delivery.excused,
      duplicates: run.delivery.duplicates,
      caughtUpAfter: run.caughtUp,
    };
    console.error(`chaos long run: ${JSON.stringify(figures)}`);
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.deepEqual(run.delivery.lost, [], `lost; events: ${run.stderr.slice(-3000)}`);
    assert.ok(run.kills >= SECONDS / 20, `${run.kills} kills`);
    assert.ok(run.delivery.duplicates <= run.kills * IN_FLIGHT_PER_KILL, `${run.delivery.duplicates} duplicates for ${run.kills} kills`);
    assert.equal(run.delivery.foreign, 0);
  } finally {
    cleanup();
  }
});
