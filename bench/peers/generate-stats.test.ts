// Not in CI (scripts/test.sh runs core, plugins, runtime, tests...): run it with the bench, e.g. `bun test ./bench/peers/generate-stats.test.ts`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { median, summarise, type Run } from "./generate-stats.ts";

const run = (seconds: number, lines = 100): Run => ({ seconds, cpuSeconds: seconds / 2, rssMiB: 50, lines, bytes: 1048576 * seconds, files: 1 });

test("ratios are taken within each round, then the median: a loaded round slows subject and reference together", () => {
  const subjects = [
    { name: "logsim (bun)", runtime: "bun", kind: "logsim" },
    { name: "loop (bun)", runtime: "bun", kind: "loop" },
    { name: "loop (node)", runtime: "node", kind: "loop" },
  ];
  const runs = new Map([
    ["logsim (bun)", [run(2), run(20), run(4)]],
    ["loop (bun)", [run(1), run(10), run(2)]],
    ["loop (node)", [run(4), run(40), run(8)]],
  ]);
  const [logsim, loopBun, loopNode] = summarise(subjects, runs, 100);
  assert.equal(logsim!.xOwnLoop, 0.5);
  assert.equal(logsim!.xNodeLoop, 2);
  assert.equal(logsim!.xOwnLoopCpu, 0.5);
  assert.equal(loopBun!.xOwnLoop, 1);
  assert.equal(loopNode!.xNodeLoop, 1);
  assert.equal(logsim!.eventsPerSecond, 25); // median of 50, 5, 25
  assert.equal(logsim!.mibPerSecond, 1);
  assert.equal(logsim!.linesOk, true);
});

test("a subject that wrote other than N lines in any round, or never ran, is not ok", () => {
  const subjects = [{ name: "lossy", runtime: "node", kind: "winston" }, { name: "missing", runtime: "node", kind: "rfs" }, { name: "loop", runtime: "node", kind: "loop" }];
  const runs = new Map([["lossy", [run(1), run(1, 97)]], ["missing", []], ["loop", [run(1), run(1)]]]);
  const [lossy, missing] = summarise(subjects, runs, 100);
  assert.equal(lossy!.linesOk, false);
  assert.deepEqual(lossy!.badLines, [97]);
  assert.equal(missing!.linesOk, false);
  assert.ok(Number.isNaN(missing!.eventsPerSecond));
});

test("median ignores NaN (no /usr/bin/time) and averages the middle pair", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([NaN])));
});
