/**
 * SIGTERM with a batch in flight: a collector reading a backlog at full speed (its channel full,
 * a batch being written) is stopped with SIGTERM `stops` times, each as soon as it has written
 * something since its start, and started again. A clean stop drains what it read, saves the
 * positions and exits 0: verify finds nothing lost, nothing written twice, no torn line.
 */
import assert from "node:assert/strict";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { signal, tempDir, waitFor } from "./_helpers.ts";
import { lineCount, verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

export async function sigtermScenario(total: number, stops: number): Promise<{ stopsMidRead: number; seconds: number }> {
  const { dir, cleanup } = tempDir("logsim-sigterm-");
  const started = performance.now();
  let collector: ReturnType<typeof startCliOn> | undefined;
  try {
    const input = join(dir, "app.log");
    const parts: string[] = [];
    for (let n = 1; n <= total; n++) parts.push(`${JSON.stringify({ generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}`, pad: "x".repeat(n % 50) })}\n`);
    writeFileSync(input, parts.join(""));
    const out = join(dir, "out/collected.jsonl");
    const args = ["collect", "--input", input, "--from-beginning", "--parser", "json", "--output", out, "--state-dir", join(dir, "state")];
    const start = () => startCliOn(collectorRuntime(), args, { cwd: dir, timeoutMs: 600_000 });
    let stopsMidRead = 0;
    for (let i = 0; i < stops; i++) {
      const before = size(out);
      collector = start();
      // Stopped as soon as it wrote something: reading on at full speed, a batch in the channel or being written.
      await waitFor(() => size(out) > before, { timeoutMs: 120_000, intervalMs: 5, what: `collector ${i + 1} to write` });
      signal(collector.child, "SIGTERM");
      const stopped = await collector.done;
      assert.equal(stopped.code, 0, `a clean stop exits 0: ${stopped.stderr}`);
      assert.match(stopped.stderr, /stopped on SIGTERM/);
      if (lineCount(out) < total) stopsMidRead++;
      console.error(`SIGTERM ${i + 1}: ${lineCount(out)} of ${total} lines written`);
    }
    collector = start();
    await waitFor(async () => (await verifyWriter([out], total)).lostCount === 0, { timeoutMs: 300_000, intervalMs: 1000, what: "every line" }).catch(() => {});
    signal(collector.child, "SIGTERM");
    const last = await collector.done;
    assert.equal(last.code, 0, last.stderr);
    const d = await verifyWriter([out], total);
    assert.deepEqual(d.lost, [], describeDelivery(d));
    assert.equal(d.duplicates, 0, `a clean stop writes nothing twice: ${describeDelivery(d)}`);
    assert.equal(d.foreign, 0, describeDelivery(d));
    assert.ok(stopsMidRead >= 1, "at least one SIGTERM landed while lines were still to read");
    return { stopsMidRead, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      signal(collector.child, "SIGKILL");
      await collector.done;
    }
    cleanup();
  }
}

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
