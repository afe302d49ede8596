/**
 * `logsim verify` through the CLI's own entry (in process, for speed), on outputs
 * built here: the done-when (5 deleted and 3 duplicated of 10,000), globs,
 * text and embedded-JSON outputs, dead-letter files and bad arguments.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { main } from "../runtime/cli.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { tempDir } from "./_helpers.ts";

async function verify(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const runtime = await detectRuntime();
  let stdout = "";
  let stderr = "";
  const capture = (append: (s: string) => void) => ({ isTTY: false, write: async (t: Uint8Array | string) => append(typeof t === "string" ? t : new TextDecoder().decode(t)), flush: async () => undefined });
  const code = await main(["verify", ...args], { ...runtime, cwd: () => cwd, stdout: capture((s) => (stdout += s)), stderr: capture((s) => (stderr += s)) });
  return { code, stdout, stderr };
}

const json = (seq: number, generator = "gen") => `{"timestamp":"2026-11-23T10:00:00.000Z","level":"INFO","message":"m","generator":"${generator}","seq":${seq},"tags":[]}`;
const lines = (list: string[]) => `${list.join("\n")}\n`;

test("done-when: 5 lines deleted and 3 duplicated of 10,000 give exactly 5 lost with their ranges and 3 duplicated, exit 1; intact exits 0", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const all = Array.from({ length: 10_000 }, (_, i) => json(i + 1));
    writeFileSync(join(dir, "intact.jsonl"), lines(all));
    const deleted = new Set([500, 501, 502, 7000, 10_000]);
    const damaged = all.filter((_, i) => !deleted.has(i + 1));
    damaged.splice(100, 0, json(42));
    damaged.splice(5000, 0, json(4000), json(4001));
    writeFileSync(join(dir, "damaged.jsonl"), lines(damaged));

    const intact = await verify(["--expected", "10000", "--actual", "intact.jsonl", "--deadletter", "intact.deadletter.jsonl"], dir);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /OK: nothing lost/, "a dead-letter file that is not there (a clean run creates none) is empty");

    const text = await verify(["--expected", "count=10000", "damaged.jsonl"], dir);
    assert.equal(text.code, 1, text.stdout + text.stderr);
    assert.match(text.stdout, /gen lost 5: 500-502, 7000, 10000\n/);
    assert.match(text.stdout, /gen duplicated 3 seqs \(3 extra copies\): 42, 4000-4001\n/);
    assert.match(text.stdout, /FAILED: 5 lost \(3 duplicates\)/);

    const data = await verify(["-e", "10000", "-a", "damaged.jsonl", "--json"], dir);
    assert.equal(data.code, 1);
    const report = JSON.parse(data.stdout);
    assert.equal(report.ok, false);
    const gen = report.generators[0];
    assert.deepEqual([gen.lost.count, gen.duplicated.extraCopies, gen.delivered], [5, 3, 9995]);
    assert.deepEqual(gen.lost.ranges, [{ from: 500, to: 502 }, { from: 7000, to: 7000 }, { from: 10000, to: 10000 }]);
    assert.equal(gen.outOfOrder.count, 2, "the copies of 42 and 4000 stepped back");

    const bounded = await verify(["-e", "10000", "-a", "intact.jsonl", "-a", "damaged.jsonl", "--max-duplicates", "100"], dir);
    assert.equal(bounded.code, 1, "both files together lost nothing, but hold 9,998 extra copies, over the bound");
    assert.match(bounded.stdout, /FAILED: 9,998 duplicates, more than --max-duplicates 100/);
  } finally {
    cleanup();
  }
});

test("globs over several files (a gzip-compressed one too), text with seq=N, JSON with the line embedded in message, and dead-letter accounting", async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, "out"));
    // Generator a: logfmt-like text across two globbed files; b: Vector-style JSON with the line in `message`.
    writeFileSync(join(dir, "out", "part-1.log"), lines([1, 2, 3].map((s) => `time=t level=info msg="x" generator=a seq=${s}`)));
    writeFileSync(join(dir, "out", "part-2.log.gz"), gzipSync(lines([4, 6].map((s) => `time=t level=info msg="x" generator=a seq=${s}`))));
    writeFileSync(join(dir, "vector.json"), lines([1, 2, 4].map((s) => JSON.stringify({ message: json(s, "b"), host: "h", source_type: "file" }))));
    writeFileSync(join(dir, "dead.jsonl"), lines([JSON.stringify({ reason: "json: invalid JSON", line: `time=t generator=a seq=5 msg="cut` })]));
    writeFileSync(join(dir, "report.json"), JSON.stringify(reportOf([["a", 6], ["b", 4]])));

    const result = await verify(["-e", "report.json", "-a", "out/*.log*", "-a", "vector.json", "-d", "dead.jsonl", "--json"], dir);
    const report = JSON.parse(result.stdout);
    const byId = Object.fromEntries(report.generators.map((g: { id: string }) => [g.id, g]));
    assert.equal(report.files.length, 4);
    assert.deepEqual([byId.a.lost.count, byId.a.deadLettered.count, byId.a.delivered], [0, 1, 5]);
    assert.deepEqual(byId.b.lost.ranges, [{ from: 3, to: 3 }]);
    assert.equal(result.code, 1);
  } finally {
    cleanup();
  }
});

test("bad arguments: one line per problem, exit 2, no stack trace", async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "not-a-report.json"), "{}");
    mkdirSync(join(dir, "folder"));
    const missing = await verify([], dir);
    assert.equal(missing.code, 2);
    assert.deepEqual(missing.stderr.trim().split("\n"), ["--expected is required: a generate --report file, a count, or a spec such as count=10000,seed=7", "--actual is required: the output files to check (files or globs)"]);
    const bad = await verify(["-e", "not-a-report.json", "-a", "nothing-*.jsonl", "-a", "folder", "--max-duplicates", "x"], dir);
    assert.equal(bad.code, 2);
    const problems = bad.stderr.trim().split("\n");
    assert.equal(problems.length, 4, bad.stderr);
    assert.match(problems[0]!, /^--max-duplicates: expected a whole number, got "x"$/);
    assert.match(problems[1]!, /^--expected not-a-report.json: not a logsim generate report/);
    assert.match(problems[2]!, /^--actual 'nothing-\*\.jsonl' matches no file/);
    assert.match(problems[3]!, /^--actual folder: is a folder/);
    const spec = await verify(["-e", "count=10,fault-truncated=0.1", "-a", "not-a-report.json"], dir);
    assert.match(spec.stderr, /^--expected: faults are worked out from the seed: give seed=SEED too\n$/);
    writeFileSync(join(dir, "corrupt.gz"), Buffer.concat([gzipSync(lines([json(1)])).subarray(0, 12), Buffer.from("garbage")]));
    const gz = await verify(["-e", "1", "-a", "corrupt.gz"], dir);
    assert.equal(gz.code, 2);
    assert.match(gz.stderr, /^--actual \S+corrupt\.gz: cannot read it: .+\n$/);
    assert.doesNotMatch(bad.stderr + spec.stderr + gz.stderr, /\bat .+:\d+:\d+/, "no stack trace");
  } finally {
    cleanup();
  }
});

/** A generate report as `generate --report` writes it, for the given ids and counts. */
function reportOf(generators: Array<[string, number]>) {
  const none = { truncated: "", badUtf8: "", overlong: "", noNewline: "" };
  return {
    kind: "logsim.generate-report",
    version: 1,
    generators: generators.map(([id, count]) => ({ id, count, firstSeq: 1, lastSeq: count, seed: 1, startTime: "2026-11-23T10:00:00.000Z", format: "json", files: [], faults: { counts: { truncated: 0, badUtf8: 0, overlong: 0, noNewline: 0 }, seqs: none, complete: true }, skipped: 0, excused: [] })),
    config: {},
  };
}
