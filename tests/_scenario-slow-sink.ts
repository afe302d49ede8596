/**
 * A sink 100x slower than the source during a burst: `burst` lines are appended to the log at once
 * (a 10x burst over the steady rate, hundreds of thousands of lines a second) while the pipeline's
 * only sink, a plugin written as an outside author would (a file in the config's folder, importing
 * `logsim` and `zod`), writes at most `sinkRate` lines a second. The channel is bounded and in
 * `block` mode: the source waits, memory stays bounded (peak RSS of the collector, read from /proc)
 * and verify finds nothing dropped, nothing twice.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, signal, tempDir, waitFor } from "./_helpers.ts";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

const SLOW_SINK = `import { definePlugin } from "logsim";
import { z } from "zod";

/** Writes records as JSON lines, at most linesPerSecond of them: a slow destination. */
export default definePlugin({
  kind: "sink",
  name: "slow-lines",
  description: "Writes records as JSON lines, slowly",
  schema: z.strictObject({ path: z.string(), linesPerSecond: z.number().positive() }),
  create: (options, ctx) => {
    const file = ctx.runtime.fs.openAppend(options.path);
    const encoder = new TextEncoder();
    return {
      async write(records) {
        file.write(encoder.encode(records.map((r) => JSON.stringify(r) + "\\n").join("")));
        await ctx.clock.sleep((records.length * 1000) / options.linesPerSecond);
      },
      flush: () => file.sync(),
      close: () => file.close(),
    };
  },
});
`;

export interface SlowSinkResult {
  peakMiB: number;
  seconds: number;
}

export async function slowSinkScenario(o: { burst: number; sinkRate: number; peakCapMiB: number }): Promise<SlowSinkResult> {
  // In the repo (git-ignored .test-tmp-*): the plugin's `logsim` and `zod` imports resolve as in a user's project.
  const { dir, cleanup } = tempDir(".test-tmp-slow-sink-", ROOT);
  let collector: ReturnType<typeof startCliOn> | undefined;
  const started = performance.now();
  try {
    const log = join(dir, "app.log");
    writeFileSync(log, "");
    const out = join(dir, "out.jsonl");
    writeFileSync(join(dir, "slow-lines.ts"), SLOW_SINK);
    const config = join(dir, "logsim.config.json");
    const tail = { use: "tail", include: log, fromBeginning: true, stateDir: join(dir, "state") };
    writeFileSync(config, JSON.stringify({ pipelines: { collect: { channel: { capacity: 16, overflow: "block" }, sources: [tail], parsers: [{ use: "json" }], sinks: [{ use: "./slow-lines.ts", path: out, linesPerSecond: o.sinkRate }] } } }));
    collector = startCliOn(collectorRuntime(), ["collect", "--config", config, "-q"], { cwd: dir, timeoutMs: 1_800_000 });
    await waitFor(() => readFileSync(log).length === 0 && existsState(dir), { timeoutMs: 60_000, what: "the collector to start" });
    let peak = 0;
    const pid = collector.child.pid!;
    const sample = () => {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
        if (kb > peak) peak = kb;
      } catch {
        // Exited.
      }
    };
    // The burst: every line at once, 64 MiB at a time.
    const CHUNK = 200_000;
    for (let from = 1; from <= o.burst; from += CHUNK) {
      let text = "";
      for (let n = from; n < from + CHUNK && n <= o.burst; n++) text += `${JSON.stringify({ generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}`, pad: "x".repeat(n % 60) })}\n`;
      appendFileSync(log, text);
    }
    const drainMs = (o.burst / o.sinkRate) * 1000;
    await waitFor(async () => (sample(), (await verifyWriter([out], o.burst)).lostCount === 0), { timeoutMs: drainMs * 3 + 60_000, intervalMs: 500, what: "the slow sink to write every line" }).catch(() => {});
    sample();
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    collector = undefined;
    assert.equal(result.code, 0, result.stderr);
    const d = await verifyWriter([out], o.burst);
    assert.deepEqual(d.lost, [], `block mode drops nothing: ${describeDelivery(d)}`);
    assert.equal(d.duplicates, 0, describeDelivery(d));
    assert.equal(d.foreign, 0, describeDelivery(d));
    const peakMiB = peak / 1024;
    assert.ok(peak > 0, "the collector's peak RSS was read");
    assert.ok(peakMiB < o.peakCapMiB, `peak RSS ${peakMiB.toFixed(0)} MiB with ${o.burst} lines waiting for a sink at ${o.sinkRate} lines/s (bound ${o.peakCapMiB} MiB)`);
    return { peakMiB, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      signal(collector.child, "SIGKILL");
      await collector.done;
    }
    cleanup();
  }
}

const existsState = (dir: string) => {
  try {
    return readFileSync(join(dir, "state", "collect.tail.json")).length > 0;
  } catch {
    return false;
  }
};
