/**
 * The rename-rotation scenario, at any size: the `collect` CLI follows a file that another
 * process appends `total` numbered lines to over `ms` while rename-rotating it `rotations` times
 * (`backups` kept, older ones deleted). Delivery is what `logsim verify` finds: every line
 * exactly once, none torn, nothing dead-lettered. tests/collector-rotation.test.ts runs it small
 * (CI), tests/collector-rotation.long.test.ts at the sizes and as a rotation storm.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { signal, tempDir, waitFor } from "./_helpers.ts";
import { runWriter, verifyWriter } from "./_collector.ts";
import { describeDelivery, type Delivery } from "./_delivery.ts";
import { collectorRuntime, startCliOn } from "./_scenario-runtime.ts";

export interface RotationScenario {
  total: number;
  rotations: number;
  backups: number;
  /** How long the writer takes to write everything. */
  ms: number;
  /** How long the collector may take to catch up after the writer is done. */
  catchUpMs: number;
}

/** Runs the scenario and asserts it; returns what verify found, for the figures. */
export async function rotationScenario(s: RotationScenario): Promise<Delivery & { seconds: number }> {
  const { dir, cleanup } = tempDir("logsim-collect-rot-");
  const started = performance.now();
  let collector: ReturnType<typeof startCliOn> | undefined;
  try {
    mkdirSync(join(dir, "logs"));
    const log = join(dir, "logs/app.log");
    writeFileSync(log, "");
    const out = join(dir, "out/collected.jsonl");
    const dead = join(dir, "out/dead.jsonl");
    // The rotated names are under the glob too, as the docs advise: a file the collector follows is read on through
    // its open handle after a rename and recognised (device, inode, fingerprint) when found again as app.log.N, never
    // read twice; one a loaded collector had no look at while it was app.log is still found as a backup.
    collector = startCliOn(collectorRuntime(), ["collect", "--input", `${log}*`, "--output", out, "--parser", "json", "--state-dir", join(dir, "state"), "--deadletter", dead], { cwd: dir, timeoutMs: s.ms + s.catchUpMs + 120_000 });
    await waitFor(() => existsSync(join(dir, "state")), 60_000, "the collector to start");
    const code = await runWriter(log, s.total, s.rotations, s.backups, "rename", s.ms);
    assert.equal(code, 0, "writer exit code");
    let delivery = await verifyWriter([out], s.total, [dead]);
    try {
      await waitFor(async () => (delivery = await verifyWriter([out], s.total, [dead])).lostCount === 0, { timeoutMs: s.catchUpMs, intervalMs: 250, what: "every line to be collected" });
    } catch (error) {
      // Lost, or only late? Say which lines are missing, and the collector's own account (its summary
      // counts rotations, files opened and closed, bytes lost).
      signal(collector.child, "SIGTERM");
      const { stderr } = await collector.done;
      throw new Error(`${(error as Error).message}: ${describeDelivery(delivery)}; collector stderr:\n${stderr.slice(-4000)}`);
    }
    signal(collector.child, "SIGTERM");
    const result = await collector.done;
    assert.equal(result.code, 0, result.stderr);
    delivery = await verifyWriter([out], s.total, [dead]);
    assert.equal(delivery.lostCount, 0, describeDelivery(delivery));
    assert.equal(delivery.duplicates, 0, describeDelivery(delivery));
    assert.equal(delivery.foreign, 0, "no line split or merged");
    assert.equal(delivery.deadLettered, 0, "no parse errors");
    assert.ok(!existsSync(dead), "no dead-letter file");
    assert.match(result.stderr, new RegExp(`read ${s.total.toLocaleString("en-US")} lines`));
    return { ...delivery, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (collector && collector.child.exitCode === null && collector.child.signalCode === null) {
      collector.child.kill("SIGKILL");
      await collector.done;
    }
    cleanup();
  }
}
