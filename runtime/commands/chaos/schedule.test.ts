import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMix, planEvents, type PlanOptions } from "./schedule.ts";

const base = (mix: string, over: Partial<PlanOptions> = {}): PlanOptions => ({ seed: 7, mix: parseMix(mix)._unsafeUnwrap(), everyMs: 100, rate: 1000, count: 60_000, maxPauseMs: 500, holdMs: 300, ...over });

test("parseMix reads weights and per-minute rates, and names every mistake", () => {
  assert.deepEqual(parseMix("rotate=5,copytruncate,kill=2/min")._unsafeUnwrap(), [{ kind: "rotate", weight: 5 }, { kind: "copytruncate", weight: 1 }, { kind: "kill", perMinute: 2 }]);
  const bad = parseMix("rotate=x,spin=1,gzip=1,gzip=2")._unsafeUnwrapErr();
  assert.equal(bad.length, 3);
  assert.match(bad[0]!, /"rotate=x"/);
  assert.match(bad[1]!, /"spin=1".*rotate, copytruncate/);
  assert.match(bad[2]!, /gzip is given twice/);
  assert.match(parseMix("rotate=0")._unsafeUnwrapErr()[0]!, /no event a weight or rate above 0/);
});

test("the same seed gives the same plan; another seed another", () => {
  const a = planEvents(base("rotate=3,copytruncate=1,slow-write=2,kill=6/min"));
  assert.deepEqual(planEvents(base("rotate=3,copytruncate=1,slow-write=2,kill=6/min")), a);
  assert.notDeepEqual(planEvents(base("rotate=3,copytruncate=1,slow-write=2,kill=6/min", { seed: 8 })), a);
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1]!.atSeq <= a[i]!.atSeq, "sorted by line");
  assert.ok(a.every((e) => e.atSeq >= 1 && e.atSeq <= 60_000));
});

test("weights share the --every stream in proportion; a per-minute kind keeps its own rate and moves no other event", () => {
  const plan = planEvents(base("rotate=3,gzip=1"));
  // 60 s at a mean of 100 ms: about 600 events, three rotations for every gzip.
  assert.ok(plan.length > 500 && plan.length < 700, `${plan.length} events`);
  const rotations = plan.filter((e) => e.kind === "rotate").length;
  assert.ok(rotations / plan.length > 0.68 && rotations / plan.length < 0.82, `${rotations} of ${plan.length}`);
  const withKills = planEvents(base("rotate=3,gzip=1,kill=30/min"));
  const kills = withKills.filter((e) => e.kind === "kill");
  assert.ok(kills.length > 15 && kills.length < 50, `${kills.length} kills in a minute at 30/min`);
  assert.deepEqual(withKills.filter((e) => e.kind !== "kill"), plan);
});

test("pauses: slow writes between a tenth of --max-pause and all of it; move-dir and kill hold for --hold", () => {
  const plan = planEvents(base("slow-write=1,move-dir=1,kill=1"));
  for (const e of plan) {
    if (e.kind === "slow-write") assert.ok(e.pauseMs! >= 50 && e.pauseMs! <= 500, `${e.pauseMs}`);
    else assert.equal(e.pauseMs, 300);
  }
});
