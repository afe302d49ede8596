import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { BurstPlan } from "./burst.ts";
import { Schedule } from "./schedule.ts";
import { generateToFile, readLines, tempDir } from "./_test-helpers.ts";

const windows = (plan: BurstPlan, n: number) => Array.from({ length: n }, () => plan.next()).filter(Boolean);

test("periodic, scheduled and probabilistic burst windows", () => {
  assert.deepEqual(windows(new BurstPlan({ multiplier: 10, durationMs: 5000, everyMs: 30_000 }, 1), 3), [
    { start: 30_000, end: 35_000, multiplier: 10 },
    { start: 60_000, end: 65_000, multiplier: 10 },
    { start: 90_000, end: 95_000, multiplier: 10 },
  ]);
  const mixed = windows(new BurstPlan({ multiplier: 2, durationMs: 1000, everyMs: 10_000, offsetMs: 0, atMs: [500, 4000] }, 1), 4);
  // 500 falls inside the window at 0 and is skipped; windows never overlap.
  assert.deepEqual(mixed.map((w) => w!.start), [0, 4000, 10_000, 20_000]);
  const random = windows(new BurstPlan({ multiplier: 3, durationMs: 2000, probability: 0.1 }, 42), 200);
  assert.deepEqual(random, windows(new BurstPlan({ multiplier: 3, durationMs: 2000, probability: 0.1 }, 42), 200), "seeded");
  for (const [i, w] of random.entries()) {
    assert.equal(w!.start % 1000, 0, "starts on a whole second");
    if (i > 0) assert.ok(w!.start >= random[i - 1]!.end, "no overlap");
  }
  // One roll per second outside bursts: with p = 0.1 a gap averages 10 s (+- 20% over 200 windows).
  const meanGap = (random[199]!.start - random[0]!.end - 198 * 2000) / 199 / 1000;
  assert.ok(meanGap > 7 && meanGap < 13, `mean gap ${meanGap}s`);
});

test("the schedule multiplies the rate inside windows and never drifts", () => {
  const schedule = new Schedule(100, new BurstPlan({ multiplier: 4, durationMs: 500, everyMs: 2000 }, 1));
  const times: number[] = [];
  for (let k = 0; ; k++) {
    const t = schedule.timeOf(k);
    if (t >= 10_000) break;
    times.push(t);
  }
  // 10 s at 100/s, plus 4 windows of 0.5 s at 3 x 100/s extra (the 5th window starts at 10 s).
  assert.equal(times.length, 1000 + 4 * 150);
  const inWindow = (a: number, b: number) => times.filter((t) => t >= a && t < b).length;
  assert.equal(inWindow(0, 1000), 100);
  assert.equal(inWindow(2000, 2500), 200);
  assert.equal(inWindow(2500, 4000), 150);
  assert.equal(times[999 + 600], times.at(-1));
  // Drift-free: after 10 s the next event is due exactly on the grid.
  assert.equal(schedule.timeOf(1600), 10_000);
});

test("seeded burst windows show in the timestamps at the planned times with the planned multiplier", async () => {
  const { dir, cleanup } = tempDir();
  try {
    await generateToFile({ rate: 1000, pace: false, duration: 6, seed: 1, startTime: 0, burst: { multiplier: 5, duration: 1, at: [2, 4.5] } }, join(dir, "b.log"));
    // pace: false writes the planned events at once; their timestamps follow the plan.
    const seconds = new Map<number, number>();
    for (const line of readLines(join(dir, "b.log"))) {
      const t = Date.parse(JSON.parse(line).timestamp);
      const bucket = Math.floor(t / 500);
      seconds.set(bucket, (seconds.get(bucket) ?? 0) + 1);
    }
    const per500 = [...Array(12).keys()].map((i) => seconds.get(i) ?? 0);
    assert.deepEqual(per500, [500, 500, 500, 500, 2500, 2500, 500, 500, 500, 2500, 2500, 500]);
  } finally {
    cleanup();
  }
});
