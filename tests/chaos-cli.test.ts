/** `logsim chaos` as a user runs it: usage errors, the printed events, the event log and the report. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { ChaosReport } from "../runtime/commands/chaos/report.ts";
import { verifyDelivery } from "./_delivery.ts";
import { runCli, signal, startCli, tempDir, waitFor } from "./_helpers.ts";

test("chaos: bad flags are usage errors, one line each, no stack", async () => {
  const r = await runCli(["chaos", "--rate", "0", "--events", "rotate=1,spin=2", "--format", "xml"]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 3, r.stderr);
  assert.ok(!/\n\s+at /.test(r.stderr));
  const help = await runCli(["chaos", "--help"]);
  assert.equal(help.code, 0);
  for (const flag of ["--events", "--every", "--generations", "--run", "--kill-pidfile", "--report", "--wait-for"]) assert.ok(help.stdout.includes(flag), `help lists ${flag}`);
});

test("chaos prints each event with its time and line, logs it as JSONL, and reports what every file holds", async () => {
  const { dir, cleanup } = tempDir("logsim-chaos-cli-");
  try {
    const r = await runCli(["chaos", "--dir", "logs", "--rate", "20000", "--count", "6000", "--events", "rotate=3,truncate=1", "--every", "10ms", "--generations", "2", "--seed", "4", "--report", "report.json"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\d\d:\d\d:\d\d\.\d{3} rotate app\.log -> app\.log\.1 \(keeps 2 generations\).* at seq \d+$/m);
    assert.match(r.stderr, /^\d\d:\d\d:\d\d\.\d{3} truncate app\.log to 0 bytes \(seqs \d+-\d+\) at seq \d+$/m);
    assert.match(r.stderr, /lines put at risk by the driver .*truncated \d+/);
    const log = readFileSync(join(dir, "logs.events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string });
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as ChaosReport;
    assert.deepEqual(log.map((e) => e.kind), report.chaos.log.map((e) => e.kind));
    assert.equal(report.emitted, 6000);
    assert.deepEqual(report.generators, [{ id: "gen", firstSeq: 1, lastSeq: 6000, count: 6000 }]);
    // The files as they are, read as a collector's output would be: whatever is not in them was reported at risk.
    const files = Object.keys(report.chaos.files).map((f) => join(dir, "logs", f)).filter((f) => existsSync(f));
    const delivery = await verifyDelivery(files, { id: "gen", count: 6000, atRisk: report.chaos.atRisk });
    assert.deepEqual(delivery.lost, []);
    assert.equal(delivery.duplicates, 0);
    assert.ok(delivery.excused > 0, "truncation and rotation beyond 2 generations put lines at risk");
  } finally {
    cleanup();
  }
});

test("Ctrl-C stops chaos cleanly: the report is written, the --run collector stopped, exit 130", async () => {
  const { dir, cleanup } = tempDir("logsim-chaos-int-");
  const log = join(dir, "logs.events.jsonl");
  const started = () => (existsSync(log) ? readFileSync(log, "utf8") : "");
  const run = startCli(["chaos", "--dir", "logs", "--duration", "60s", "--report", "report.json", "--run", "sleep 300", "--quiet"], { cwd: dir, timeoutMs: 60_000 });
  let pid = 0;
  try {
    await waitFor(() => /"kind":"start"/.test(started()), { timeoutMs: 30_000, what: "chaos to start" });
    pid = Number(/collector pid (\d+)/.exec(started())?.[1]);
    assert.ok(pid > 0);
    signal(run.child, "SIGINT");
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as ChaosReport;
    assert.ok(report.emitted > 0 && report.emitted < 60_000);
    assert.match(report.chaos.log.at(-2)!.detail, /planned events not done \(stopped early\)|lines written/);
    assert.equal(report.chaos.log.at(-1)!.kind, "exited");
    assert.throws(() => process.kill(pid, 0), "the collector was stopped");
  } finally {
    if (run.child.exitCode === null) run.child.kill("SIGKILL");
    try {
      if (pid > 0) process.kill(pid, "SIGKILL");
    } catch {
      // Gone already, as it should be.
    }
    cleanup();
  }
});
