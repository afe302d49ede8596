/**
 * Time zones end to end: logsim's own default template writes local time (Python's asctime), and
 * the collector reads it back in the same zone, to the millisecond, under any TZ; `--timezone`
 * reads a file written elsewhere. Each run is a child process with TZ set.
 */
import assert from "node:assert/strict";
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

const times = (path: string): number[] =>
  readFileSync(path, "utf8").trim().split("\n").map((l) => Date.parse((JSON.parse(l) as { timestamp: string }).timestamp));

for (const tz of ["America/New_York", "Asia/Kolkata", "UTC"]) {
  test(`the default template round-trips exactly under TZ=${tz}`, { timeout: 120_000 }, async () => {
    const { dir, cleanup } = tempDir("logsim-zones-");
    try {
      const config = {
        pipelines: {
          gen: {
            // Planned timestamps across a DST change in New York (2026-03-08) and a day boundary.
            sources: [{ use: "generator", count: 300, rate: 0.001, pace: false, seed: 7, startTime: "2026-03-08T05:30:00.000Z" }],
            sinks: [{ use: "rotating-file", path: "app.log", maxBytes: 0 }, { use: "jsonl", path: "truth.jsonl" }],
          },
        },
      };
      writeFileSync(join(dir, "logsim.config.json"), JSON.stringify(config));
      const env = { TZ: tz };
      const run = await runCli(["run"], { cwd: dir, env, timeoutMs: 100_000 });
      assert.equal(run.code, 0, run.stderr);
      const head = readFileSync(join(dir, "app.log"), "utf8").split("\n")[0]!;
      assert.match(head, /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}\] [A-Z]+: /, "the default template");
      const collect = await runCli(["collect", "--once", "-q", "-i", "app.log", "-o", "out.jsonl"], { cwd: dir, env, timeoutMs: 100_000 });
      assert.equal(collect.code, 0, collect.stderr);
      const expected = times(join(dir, "truth.jsonl"));
      assert.equal(expected.length, 300);
      assert.deepEqual(times(join(dir, "out.jsonl")), expected);
    } finally {
      cleanup();
    }
  });
}

test("--timezone reads a file written in another zone, and a bad zone is one clear line", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-zones-");
  try {
    writeFileSync(join(dir, "a.log"), "[2026-07-01 12:00:00,250] WARNING: disk almost full\n");
    const r = await runCli(["collect", "--once", "-q", "-i", "a.log", "-o", "out.jsonl", "--timezone", "Europe/Paris"], { cwd: dir, env: { TZ: "Asia/Tokyo" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(times(join(dir, "out.jsonl")), [Date.parse("2026-07-01T10:00:00.250Z")]);
    const bad = await runCli(["collect", "--once", "-q", "-i", "a.log", "--timezone", "Mars/Olympus"], { cwd: dir });
    assert.equal(bad.code, 2, "a usage error");
    assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    assert.match(bad.stderr, /^--timezone "Mars\/Olympus": expected "local", "UTC", an offset such as "\+05:30" or an IANA zone .*"Mars\/Olympus"/);
  } finally {
    cleanup();
  }
});

test("a year-less time takes the year of its file's modification time (an archive from January 2019)", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-zones-");
  try {
    const path = join(dir, "old.log");
    writeFileSync(path, "Dec 31 23:59:58 host app[1]: last of the year\nJan  1 00:00:01 host app[1]: first of the next\n");
    utimesSync(path, new Date("2019-01-02T00:00:00Z"), new Date("2019-01-02T00:00:00Z"));
    const r = await runCli(["collect", "--once", "-q", "-i", "old.log", "-o", "out.jsonl", "--timezone", "UTC"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(times(join(dir, "out.jsonl")), [Date.parse("2018-12-31T23:59:58Z"), Date.parse("2019-01-01T00:00:01Z")]);
  } finally {
    cleanup();
  }
});
