/**
 * `collect --workers 2` on a backlog, killed with SIGKILL mid-way and restarted: every line is
 * written, in file order, and a line is written again only if it was in flight at a kill (read, not
 * yet acknowledged): the channel's batches, the pool's and the one being written.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { signal, startCli, tempDir, waitFor } from "./_helpers.ts";
import { collectedNumbers, lineCount, tallyNumbers } from "./_collector.ts";

/** Enough that a kill lands mid-way: with workers a backlog goes at some 200,000 lines/s, and 30,000 were sometimes all written before the first kill. */
const TOTAL = 200_000;
const KILLS = 2;
/** Batches of at most 1,000 lines (batchLines) in flight: 2 in the channel, 4 a worker in the pool, 1 being written. */
const IN_FLIGHT_LINES = (2 + 4 * 2 + 1) * 1000;

test("collect --workers 2, killed with SIGKILL twice on a backlog: no line lost, file order kept, duplicates bounded", { timeout: 240_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-workers-kill-");
  let collector: ReturnType<typeof startCli> | undefined;
  try {
    mkdirSync(join(dir, "logs"));
    const log = join(dir, "logs/app.log");
    const lines: string[] = [];
    for (let n = 1; n <= TOTAL; n++) lines.push(n % 10 === 0 ? `2026-11-29T10:00:00.000Z INFO [api] line ${n}` : JSON.stringify({ time: 1764410400000 + n, level: "info", msg: `line ${n}`, n, pad: "x".repeat(n % 50) }));
    writeFileSync(log, `${lines.join("\n")}\n`);
    const out = join(dir, "out/collected.jsonl");
    const args = ["collect", "--input", log, "--from-beginning", "--output", out, "--parser", "json", "--state-dir", join(dir, "state"), "--workers", "2", "--quiet"];
    let written = 0;
    for (let i = 0; i < KILLS; i++) {
      collector = startCli(args, { cwd: dir, timeoutMs: 200_000 });
      const running = collector;
      await waitFor(() => lineCount(out) > written + 2000 || running.child.exitCode !== null, 120_000, `collector ${i + 1} to write`);
      signal(running.child, "SIGKILL");
      await running.done;
      written = lineCount(out);
    }
    assert.ok(written < TOTAL * 0.9, `the kills came before the end (${written} of ${TOTAL} written)`);
    collector = startCli([...args, "--once"], { cwd: dir, timeoutMs: 200_000 });
    const last = await collector.done;
    assert.equal(last.code, 0, last.stderr);
    const { numbers, broken } = collectedNumbers(out);
    // The plain lines (every 10th) have no `n`: dead-lettered by the json parser; count the JSON ones.
    assert.deepEqual(broken, []);
    const { missing, duplicates } = tallyNumbers(numbers, TOTAL);
    assert.deepEqual(missing.filter((n) => n % 10 !== 0), [], "no JSON line lost");
    assert.ok(duplicates <= KILLS * IN_FLIGHT_LINES, `${duplicates} duplicates, at most ${KILLS * IN_FLIGHT_LINES} expected`);
    // File order: each run writes on from where the saved position was, in order.
    let runs = 1;
    for (let i = 1; i < numbers.length; i++) if (numbers[i]! <= numbers[i - 1]!) runs++;
    assert.ok(runs <= KILLS + 1, `output in file order within each run (${runs} runs for ${KILLS + 1} collectors)`);
  } finally {
    if (collector && collector.child.exitCode === null) signal(collector.child, "SIGKILL");
    await collector?.done;
    cleanup();
  }
});
