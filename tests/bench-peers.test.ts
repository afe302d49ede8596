/**
 * bench/peers configures rsyslog and syslog-ng for the collect workload: here each, run as
 * `npm run bench:peers` runs it (whole process, unprivileged, done by its output's line count),
 * must give the hand-written ceiling's counts on a small seeded corpus, and rsyslog must pass the
 * follow-latency driver's lines through, each once. Skipped with the reason when scripts/peers-setup.sh has
 * not installed the peers.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { countsOf, diffCounts } from "../bench/peers/counts.ts";
import { FOLLOW_TOOLS, followOnce, shellLine } from "../bench/peers/latency.ts";
import { measure } from "../bench/peers/measure.ts";
import { literalAlternatives } from "../bench/peers/literals.ts";
import { rsyslogSubject, syslogNgSubject, type CollectSubject } from "../bench/peers/subjects.ts";
import { missingTools } from "../bench/peers/tools.ts";
import { ceiling } from "../bench/workload/ceiling.ts";
import { writeCorpus } from "../bench/workload/corpus.ts";

const missing = missingTools();
const skip = missing.length > 0 ? `not installed: ${missing.join(", ")} (scripts/peers-setup.sh)` : false;

test("counts come from what a tool wrote: records, dead letters, tags", () => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-peers-counts-"));
  try {
    writeFileSync(join(dir, "out.jsonl"), '{"tags":["auth","api"]}\n{"message":"x","tags":[]}\n{"origin":{},"tags":["auth"]}\n');
    writeFileSync(join(dir, "dead.log"), "a\nb\n");
    const counts = countsOf(10, join(dir, "out.jsonl"), join(dir, "dead.log"), ["auth", "payment", "api"]);
    assert.deepEqual(counts, { lines: 10, written: 3, unparsed: 2, tags: { auth: 2, payment: 0, api: 1 } });
    assert.equal(diffCounts(counts, counts), "");
    assert.equal(diffCounts({ ...counts, written: 4, tags: { ...counts.tags, api: 0 } }, counts), "written 4 (want 3); tag api 0 (want 1)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a regex that is an alternation of literals becomes those literals; anything more does not", () => {
  assert.deepEqual(literalAlternatives('level":"(ERROR|WARN)"| (ERROR|WARN) \\[|payment|auth'), ['level":"ERROR"', 'level":"WARN"', " ERROR [", " WARN [", "payment", "auth"]);
  assert.deepEqual(literalAlternatives("GET |POST |/api/"), ["GET ", "POST ", "/api/"]);
  for (const regex of ["^GET", "a.b", "a+", "(a|b)?", "x\\d", "[ab]", "(?<n>a)", "a|", "(a", "a{2}"]) assert.equal(literalAlternatives(regex), undefined, regex);
});

for (const subject of [rsyslogSubject("regex"), rsyslogSubject("tuned"), syslogNgSubject] as CollectSubject[]) {
  test(`${subject.name} configured for the workload gives the ceiling's counts`, { skip, timeout: 150_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "logsim-peers-"));
    chmodSync(dir, 0o755);
    try {
      const input = join(dir, "corpus.log");
      writeCorpus(input, 3000, 7);
      const expected = ceiling(input, join(dir, "ceiling.jsonl"));
      // Every kind of line is in it: the test would pass vacuously otherwise.
      assert.ok(expected.written > 1000 && expected.unparsed > 0 && Object.values(expected.tags).every((n) => n > 0));
      const runDir = join(dir, "run");
      mkdirSync(runDir);
      chmodSync(runDir, 0o777);
      const run = { dir: runDir, input, output: join(runDir, "out.jsonl"), deadletter: join(runDir, subject.deadletterName) };
      // A daemon is done when its output has every line; one whose output stops growing for 30 s is
      // measured as it is (5 s was too short for rsyslog on a machine running two suites at once).
      const measured = await measure(subject.make(run, expected), join(runDir, "time.txt"), 90_000, 30_000);
      assert.equal(measured.failure, "");
      assert.ok(measured.cpuS > 0 && measured.peakRssMiB > 1, `GNU time measured the process: ${JSON.stringify(measured)}`);
      assert.equal(diffCounts(countsOf(3000, run.output, run.deadletter, Object.keys(expected.tags)), expected), "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the follow-latency driver sees every line rsyslog follows, once", { skip, timeout: 150_000 }, async () => {
  const rsyslog = FOLLOW_TOOLS.find((t) => t.name.startsWith("rsyslog"))!;
  const r = await followOnce(rsyslog, 200, 1, { warmupSeconds: 0.2, quietLines: 2, quietGapMs: 200, readyTimeoutMs: 90_000, drainTimeoutMs: 30_000 });
  assert.equal(r.missing, 0);
  assert.equal(r.duplicated, 0);
  assert.equal(r.load.count, 200);
  // What the driver measured is a latency, whatever it is (over 30 s on a machine running two suites at once): only that it has one.
  assert.ok(Number.isFinite(r.load.max) && r.load.max >= 0 && r.quiet.count === 2, JSON.stringify(r));
});

test("a tool's argv and environment become one shell line, quoted where needed", () => {
  assert.equal(shellLine(["/bin/x", "-f", "a b", "it's"], { LD_LIBRARY_PATH: "/l:/m" }), "env LD_LIBRARY_PATH=/l:/m /bin/x -f 'a b' 'it'\\''s'");
  assert.equal(shellLine(["bun", "--x={y}"]), "bun '--x={y}'");
});
