/**
 * End to end: `generate` (rotating file) and `collect` (jsonl) are killed with
 * SIGKILL while writing at speed, and restarted each time. A kill inside a
 * write leaves a torn last line; the restarted writer must not glue its next
 * line to it, so every line of the output is a whole JSON object.
 *
 * A kill lands inside a write only now and then (the write(2) of 256 KiB takes
 * microseconds): 1 kill in 8 at 20k events/s, sometimes none. So after a kill
 * that left the file whole, the test appends what such a kill would have left:
 * the first bytes of a record, without its newline. Every restart meets a torn line.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { runCli, signal, startCli, tempDir, waitFor } from "./_helpers.ts";

/** 3 in CI (each a few hundred ms of work); every restart meets a torn line whatever the count. */
const KILLS = 3;
const RECORD = '{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","message":"cut in the middle"}';
const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const endsTorn = (path: string) => size(path) > 0 && readFileSync(path).at(-1) !== 10;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Leaves `path` ending with a torn line: a kill did, or the first half of `record` is appended as one inside a write would. Returns whether the kill did. */
function tear(path: string, record: string): boolean {
  if (endsTorn(path)) return true;
  appendFileSync(path, record.slice(0, Math.floor(record.length / 2)));
  return false;
}

/** Starts `args`, waits until `path` changes size (it grew, or rotated), lets it write a little longer, then kills it. */
async function killWhileWriting(args: string[], cwd: string, path: string, from: number): Promise<void> {
  const run = startCli(args, { cwd, timeoutMs: 60_000 });
  try {
    await waitFor(() => size(path) !== from, 30_000, `${path} to grow`);
  } catch (error) {
    signal(run.child, "SIGKILL");
    throw new Error(`${(error as Error).message}; stderr: ${(await run.done).stderr}`);
  }
  await pause(30 + Math.random() * 150);
  signal(run.child, "SIGKILL");
  await run.done;
}

test(`generate killed ${KILLS} times while writing: every line of the rotating file parses`, { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-torn-gen-");
  try {
    const log = join(dir, "app.log");
    const args = ["generate", "--format", "json", "--output", log, "--max-bytes", String(8 << 20), "--backups", "3", "--quiet"];
    let torn = 0;
    for (let i = 0; i < KILLS; i++) {
      await killWhileWriting(args, dir, log, size(log));
      if (tear(log, RECORD)) torn++;
    }
    const last = await runCli([...args, "--count", "100"], { cwd: dir });
    assert.equal(last.code, 0, last.stderr);
    const names = readdirSync(dir).filter((n) => n.startsWith("app.log"));
    let lines = 0;
    let cut = 0;
    for (const name of names) {
      const text = readFileSync(join(dir, name), "utf8");
      assert.ok(text.endsWith("\n"), `${name} ends with a torn line`);
      for (const line of text.slice(0, -1).split("\n")) {
        lines++;
        assert.ok(line.startsWith('{"timestamp"'), `${name}: ${line.slice(0, 300)}`);
        assert.equal(line.indexOf('{"timestamp"', 1), -1, `${name}: two records on one line: ${line.slice(0, 300)}`);
        try {
          JSON.parse(line);
        } catch {
          cut++; // A torn line stays, ended (the file only grows): one record cut short, not glued to the next.
        }
      }
    }
    // Each kill leaves at most one torn line, ended; one in a file that rotation then deleted (3 backups
    // of 8 MiB) is gone with it, as happened once on a loaded machine (7 of 8).
    assert.ok(cut >= 1 && cut <= KILLS, `each torn line stays, ended, as one line: ${cut} for ${KILLS} kills`);
    console.log(`generate kill -9 x${KILLS}: ${torn} kills left a torn line; ${lines} lines in ${names.length} files, none merged`);
  } finally {
    cleanup();
  }
});

test(`collect killed ${KILLS} times while writing jsonl: every output line parses, none lost`, { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-torn-collect-");
  try {
    const input = join(dir, "in.log");
    const TOTAL = 200_000;
    const parts: string[] = [];
    for (let n = 1; n <= TOTAL; n++) parts.push(`${JSON.stringify({ n, generator: WRITER_ID, seq: n, level: "info", msg: `line ${n}`, pad: "x".repeat(n % 60) })}\n`);
    writeFileSync(input, parts.join(""));
    const out = join(dir, "out/collected.jsonl");
    const args = ["collect", "--input", input, "--once", "--output", out, "--parser", "json", "--state-dir", join(dir, "state")];
    let torn = 0;
    for (let i = 0; i < KILLS; i++) {
      await killWhileWriting(args, dir, out, size(out));
      // Not a record of the input (no seq): if it stayed in any form, verify counts it as a line without a seq.
      if (tear(out, RECORD)) torn++;
    }
    const last = await runCli(args, { cwd: dir, timeoutMs: 120_000 });
    assert.equal(last.code, 0, last.stderr);
    const delivery = await verifyWriter([out], TOTAL);
    assert.equal(delivery.foreign, 0, `no line torn or merged: ${describeDelivery(delivery)}`);
    assert.deepEqual(delivery.lost, [], describeDelivery(delivery));
    const duplicates = delivery.duplicates;
    console.log(`collect kill -9 x${KILLS}: ${torn} kills left a torn line; ${TOTAL} lines, ${duplicates} written twice`);
  } finally {
    cleanup();
  }
});
