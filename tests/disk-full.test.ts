/**
 * End to end on a real full disk: the collector writes to a 2 MiB tmpfs, which
 * fills; it must keep whole lines, wait (not exit), say so once, and when the
 * tmpfs is remounted at 64 MiB go on with nothing lost and at most one batch
 * written twice. Needs mount(8) (root); skipped with the reason otherwise.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";

const TOTAL = 40_000; // About 9 MB of output: the 2 MiB disk fills after a fifth of it.
/** Lines the tail source reads per batch at most: the bound on lines written twice. */
const BATCH = 1000;

const mount = (...args: string[]) => spawnSync("mount", args, { encoding: "utf8" });

/** Mounts a tmpfs of `size` at `dir`; the reason it cannot, or undefined. */
function mountTmpfs(dir: string, size: string): string | undefined {
  const r = mount("-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir);
  if (r.error) return `mount: ${r.error.message}`;
  return r.status === 0 ? undefined : `mount -t tmpfs failed: ${r.stderr.trim()}`;
}

function writeInput(path: string): void {
  const parts: string[] = [];
  for (let n = 1; n <= TOTAL; n++) parts.push(`${JSON.stringify({ n, generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}`, pad: "x".repeat(n % 80) })}\n`);
  writeFileSync(path, parts.join(""));
}

type Run = ReturnType<typeof startCli>;

/**
 * Runs `body` with a tmpfs of 2 MiB mounted at DIR/disk; skips the test with the reason if it
 * cannot be mounted. Afterwards kills the collector if it still runs (a busy tmpfs cannot be
 * unmounted), unmounts and removes the folder.
 */
async function withSmallDisk(t: { skip(reason: string): void }, prefix: string, body: (dir: string, disk: string, started: (run: Run) => Run) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir(prefix);
  const disk = join(dir, "disk");
  mkdirSync(disk);
  const cannot = mountTmpfs(disk, "2m");
  if (cannot) {
    cleanup();
    t.skip(cannot);
    return;
  }
  const runs: Run[] = [];
  try {
    await body(dir, disk, (run) => (runs.push(run), run));
  } finally {
    for (const run of runs) {
      if (run.child.exitCode === null && run.child.signalCode === null) signal(run.child, "SIGKILL");
      await run.done;
    }
    const umounted = spawnSync("umount", [disk], { encoding: "utf8" });
    if (umounted.status === 0) cleanup();
    else console.error(`could not unmount ${disk}: ${umounted.stderr}`);
  }
}

/** Every line of the output is a whole record (verify counts a torn one); what verify found. */
async function assertWholeLines(out: string) {
  const text = readFileSync(out, "utf8");
  assert.ok(text.length > 0 && text.endsWith("\n"), `output ends with a torn line: ${JSON.stringify(text.slice(-100))}`);
  const d = await verifyWriter([out], TOTAL);
  assert.equal(d.foreign, 0, describeDelivery(d));
  return d;
}

test("a full disk under the collector (2 MiB tmpfs, then 64 MiB): whole lines, waits, then nothing lost and at most one batch twice", { timeout: 180_000 }, (t) =>
  withSmallDisk(t, "logsim-disk-full-", async (dir, disk, started) => {
    const input = join(dir, "in.log");
    writeInput(input);
    const out = join(disk, "collected.jsonl");
    // Positions off the small disk: this is about the output.
    const args = ["collect", "--input", input, "--from-beginning", "--output", out, "--parser", "json", "--state-dir", join(dir, "state")];
    const run = started(startCli(args, { cwd: dir, timeoutMs: 170_000 }));
    let stderr = "";
    run.child.stderr!.on("data", (d) => (stderr += d));
    await waitFor(() => /ENOSPC/.test(stderr), 60_000, "the disk to fill");
    assert.equal(run.child.exitCode, null, `the collector exited on a full disk: ${stderr}`);
    const full = await assertWholeLines(out);
    const atFull = full.report.totals.records;
    assert.ok(atFull < TOTAL / 2, `${atFull} lines fitted in 2 MiB`);

    assert.equal(mount("-o", "remount,size=64m", disk).status, 0, "remount");
    const collectedAll = async () => {
      if (run.child.exitCode !== null) throw new Error(`the collector exited (${run.child.exitCode}) instead of waiting for space: ${stderr}`);
      return (await verifyWriter([out], TOTAL)).lostCount === 0;
    };
    await waitFor(collectedAll, { timeoutMs: 90_000, intervalMs: 250, what: "every line after the remount" });
    signal(run.child, "SIGTERM");
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.match(/cannot write/g)?.length, 1, `reported once: ${result.stderr}`);
    assert.match(result.stderr, /recovered: collect\.jsonl writes again after/);
    const { lost, duplicates } = await assertWholeLines(out);
    assert.deepEqual(lost, []);
    assert.ok(duplicates <= BATCH, `${duplicates} lines written twice`);
    console.log(`disk full at ${atFull} lines; after the remount ${TOTAL} lines, ${duplicates} written twice`);
  }),
);

test("stopped while the disk is full: exits 1 at once with whole lines; after the remount --once loses nothing", { timeout: 180_000 }, (t) =>
  withSmallDisk(t, "logsim-disk-full-stop-", async (dir, disk, started) => {
    const input = join(dir, "in.log");
    writeInput(input);
    const out = join(disk, "collected.jsonl");
    const args = ["collect", "--input", input, "--from-beginning", "--output", out, "--parser", "json", "--state-dir", join(dir, "state")];
    const run = started(startCli(args, { cwd: dir, timeoutMs: 170_000 }));
    let stderr = "";
    run.child.stderr!.on("data", (d) => (stderr += d));
    await waitFor(() => /ENOSPC/.test(stderr), 60_000, "the disk to fill");
    const stoppedAt = Date.now();
    signal(run.child, "SIGTERM");
    const result = await run.done;
    assert.equal(result.code, 1, result.stderr);
    assert.ok(Date.now() - stoppedAt < 15_000, `took ${Date.now() - stoppedAt} ms to stop`);
    assert.match(result.stderr, /collect failed: Sink "jsonl" .* cannot write: ENOSPC/);
    const written = (await assertWholeLines(out)).report.totals.records;

    assert.equal(mount("-o", "remount,size=64m", disk).status, 0, "remount");
    const again = await started(startCli([...args, "--once"], { cwd: dir, timeoutMs: 120_000 })).done;
    assert.equal(again.code, 0, again.stderr);
    const { lost, duplicates } = await assertWholeLines(out);
    assert.deepEqual(lost, []);
    console.log(`stopped on a full disk after ${written} lines; --once after the remount: ${TOTAL} lines, ${duplicates} written twice`);
  }),
);
