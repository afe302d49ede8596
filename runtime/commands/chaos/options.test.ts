import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chaosRun } from "./options.ts";

test("defaults: 10 s at 1,000 lines/s into chaos-logs/app.log, the lossless mix, 5 generations, the event log beside the folder", () => {
  const run = chaosRun({}, "/work", 42)._unsafeUnwrap();
  assert.equal(run.path, "/work/chaos-logs/app.log");
  assert.equal(run.count, 10_000);
  assert.equal(run.seed, 42);
  assert.equal(run.log, "/work/chaos-logs.events.jsonl");
  assert.deepEqual(run.mix.map((e) => e.kind), ["rotate", "copytruncate", "gzip", "slow-write"]);
  assert.equal(run.generations, 5);
  assert.equal(run.victim, undefined);
});

test("--count or --duration with --rate give the lines; --seed keeps text seeds", () => {
  assert.equal(chaosRun({ rate: "200", duration: "3s" }, "/w", 1)._unsafeUnwrap().count, 600);
  assert.equal(chaosRun({ count: "77" }, "/w", 1)._unsafeUnwrap().count, 77);
  assert.equal(chaosRun({ seed: "abc" }, "/w", 1)._unsafeUnwrap().seed, "abc");
  assert.equal(chaosRun({ seed: "12" }, "/w", 1)._unsafeUnwrap().seed, 12);
});

test("every problem at once, one line each, naming the flag", () => {
  const problems = chaosRun({ rate: "-1", count: "5", duration: "1s", events: "rotate=2,kill=1,spin", every: "soon", format: "xml", generations: "0", run: "x", "kill-pid": "12" }, "/w", 1)._unsafeUnwrapErr();
  const joined = problems.join("\n");
  for (const flag of ["--rate", "--count and --duration", "--events: \"spin\"", "--every", "--format", "--generations", "--run, --kill-pid and --kill-pidfile"]) assert.ok(joined.includes(flag), `${flag} in:\n${joined}`);
  assert.ok(problems.every((p) => !p.includes("\n")));
});

test("kill needs a process; a folder that already holds the log is refused", () => {
  assert.match(chaosRun({ events: "kill=2/min" }, "/w", 1)._unsafeUnwrapErr()[0]!, /kill needs a process: give --run COMMAND/);
  const dir = mkdtempSync(join(tmpdir(), "chaos-opts-"));
  try {
    mkdirSync(join(dir, "logs"));
    writeFileSync(join(dir, "logs", "app.log.3"), "");
    assert.match(chaosRun({ dir: "logs" }, dir, 1)._unsafeUnwrapErr()[0]!, /already holds app\.log\.3/);
    assert.ok(chaosRun({ dir: "logs", name: "other.log" }, dir, 1).isOk());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
