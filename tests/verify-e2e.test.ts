/**
 * generate -> collect -> verify, as child processes under the runtime running the test:
 * a run with every line fault loses nothing (what the faults spoiled is accounted for,
 * by the report's fault seqs and the dead-letter file), and the report is the expectation.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("generate --report with faults, collect --once, verify: nothing lost, faults and dead letters accounted for", { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const faults = ["--fault-truncated", "0.01", "--fault-bad-utf8", "0.01", "--fault-no-newline", "0.01"];
    const gen = await runCli(["generate", "--count", "3000", "--seed", "5", "--start-time", "2026-11-23T10:00:00Z", "-q", "--output", join(dir, "app.log"), "--report", join(dir, "expected.json"), ...faults]);
    assert.equal(gen.code, 0, gen.stderr);
    const report = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
    assert.equal(report.kind, "logsim.generate-report");
    const [g] = report.generators;
    assert.deepEqual([g.id, g.count, g.firstSeq, g.lastSeq, g.seed, g.startTime, g.format], ["gen", 3000, 1, 3000, "5", "2026-11-23T10:00:00.000Z", "json"]);
    assert.deepEqual(g.files, [join(dir, "app.log")]);
    const listed = (ranges: string) => (ranges === "" ? 0 : ranges.split(", ").reduce((n: number, r: string) => n + (r.includes("-") ? Number(r.split("-")[1]) - Number(r.split("-")[0]) + 1 : 1), 0));
    for (const kind of ["truncated", "badUtf8", "noNewline"]) assert.equal(listed(g.faults.seqs[kind]), g.faults.counts[kind], `${kind}: every faulted seq listed`);
    assert.ok(g.faults.counts.truncated > 0 && g.faults.counts.noNewline > 0);

    const out = join(dir, "collected.jsonl");
    const collect = await runCli(["collect", "--once", "-q", "-i", join(dir, "app.log"), "-o", out, "--state-dir", join(dir, "state")]);
    assert.equal(collect.code, 0, collect.stderr);

    const withDead = await runCli(["verify", "-e", join(dir, "expected.json"), "-a", out, "-d", join(dir, "collected.deadletter.jsonl"), "--json"]);
    assert.equal(withDead.code, 0, withDead.stdout + withDead.stderr);
    const result = JSON.parse(withDead.stdout).generators[0];
    assert.equal(result.lost.count, 0);
    assert.equal(result.duplicated.extraCopies, 0);
    assert.ok(result.deadLettered.count > 0, "the spoiled lines logsim dead-lettered are found there");
    assert.equal(result.delivered + result.deadLettered.count + result.excused.missing, 3000);

    // Without the dead-letter file, only what a fault explains is excused: a line dead-lettered for another reason would be lost.
    const spec = await runCli(["verify", "-e", `count=3000,seed=5,${faults.map((f, i) => (i % 2 === 0 ? `${f.slice(2)}=` : `${f},`)).join("").replace(/,$/, "")}`, "-a", out, "--json"]);
    const bySpec = JSON.parse(spec.stdout).generators[0];
    assert.equal(bySpec.excused.count, result.excused.count, "the spec's replayed faults are the report's");
    assert.equal(spec.code, bySpec.lost.count === 0 ? 0 : 1);
  } finally {
    cleanup();
  }
});
