/**
 * loghub's 2k samples of 16 systems (../shared/conformance/loghub): per file, the share of lines read
 * with their own timestamp and the share of levels right, through `auto` as this branch recommends it
 * (its formats, then the column layouts and `timestamped`, see tests/_loghub.ts); each dedicated
 * parser alone on its own sample; and, end to end through `collect --once`, no line lost.
 * BOUNDS holds what the parsers read now: raise them as parsers land (bench/loghub-table.ts prints the table).
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { detectRuntime } from "../runtime/detect.ts";
import { main } from "../runtime/cli.ts";
import { inferYear, UTC } from "../plugins/parsers/_time.ts";
import { envAt, parseBlueGeneRas, parseHdfs, parseHealthApp, parseLanlHpc, parseLogcat, parseProxifier, parseThunderbird, parseWindowsCbs, type LineParser } from "../plugins/parsers/mod.ts";
import { tempDir } from "./_helpers.ts";
import { chain, formatTable, haveSamples, levelPct, LOGHUB, measure, ownTimePct, samplePath, SAMPLES } from "./_loghub.ts";

/** Minimum % of lines read with their own time, and of levels right (where the format has a level). */
const BOUNDS: Readonly<Record<string, { time: number; level?: number }>> = {
  Android: { time: 100, level: 100 },
  Apache: { time: 100, level: 100 },
  BGL: { time: 100, level: 100 },
  HDFS: { time: 100, level: 100 },
  HPC: { time: 100 },
  Hadoop: { time: 100, level: 100 },
  HealthApp: { time: 100 },
  Linux: { time: 100 },
  Mac: { time: 100 },
  OpenSSH: { time: 100 },
  OpenStack: { time: 100, level: 100 },
  Proxifier: { time: 100 },
  Spark: { time: 100, level: 100 },
  Thunderbird: { time: 100 },
  Windows: { time: 100, level: 100 },
  Zookeeper: { time: 100, level: 100 },
};

const DEDICATED: Readonly<Record<string, LineParser>> = {
  Android: parseLogcat, BGL: parseBlueGeneRas, HDFS: parseHdfs, HPC: parseLanlHpc, HealthApp: parseHealthApp,
  Proxifier: parseProxifier, Thunderbird: parseThunderbird, Windows: parseWindowsCbs,
};

/** The time of each sample's first line, as UTC wall clock ("????" where the format has no year: the file's modification time gives it). */
const FIRST_TIME: Readonly<Record<string, string>> = {
  Android: "????-03-17T16:13:38.811Z", Apache: "2005-12-04T04:47:44.000Z", BGL: "2005-06-03T22:42:50.675Z", HDFS: "2008-11-09T20:36:15.000Z",
  HPC: "2004-02-26T14:12:22.000Z", Hadoop: "2015-10-18T18:01:47.978Z", HealthApp: "2017-12-23T22:15:29.606Z", Linux: "????-06-14T15:16:01.000Z",
  Mac: "????-07-01T09:00:55.000Z", OpenSSH: "????-12-10T06:55:46.000Z", Proxifier: "????-10-30T16:49:06.000Z", Spark: "2017-06-09T20:10:40.000Z",
  Thunderbird: "2005-11-09T20:01:01.000Z", Windows: "2016-09-28T04:30:30.000Z", Zookeeper: "2015-07-29T17:41:44.747Z",
};

const noSamples = haveSamples() ? undefined : `no loghub samples at ${LOGHUB}`;

test("every loghub sample: lines read with their own time and levels right, at least as BOUNDS says; none lost", { skip: noSamples }, () => {
  const rows = SAMPLES.map((s) => measure(s));
  const problems: string[] = [];
  for (const s of rows) {
    const bound = BOUNDS[s.name]!;
    const failed = [...s.failed.values()].reduce((a, b) => a + b, 0);
    const records = [...s.byParser.values()].reduce((a, b) => a + b, 0);
    if (s.lines !== 2000) problems.push(`${s.name}: ${s.lines} lines, expected 2000`);
    if (s.lost !== 0 || records + failed !== s.lines) problems.push(`${s.name}: ${s.lost} lines lost (a parser threw)`);
    if (ownTimePct(s) < bound.time) problems.push(`${s.name}: ${ownTimePct(s).toFixed(1)}% read with their own time, expected >= ${bound.time}%`);
    const level = levelPct(s);
    if (bound.level !== undefined && (level ?? 100) < bound.level) problems.push(`${s.name}: ${level!.toFixed(1)}% levels right, expected >= ${bound.level}% (${s.firstWrongLevel})`);
  }
  assert.deepEqual(problems, [], formatTable(rows));
  const atLeast99 = rows.filter((s) => ownTimePct(s) >= 99 && (levelPct(s) ?? 100) >= 99).length;
  assert.ok(atLeast99 >= 15, `${atLeast99} samples at 99% or more`);
});

test("each sample's first line gets its own time, exactly", { skip: noSamples }, () => {
  for (const [name, expected] of Object.entries(FIRST_TIME)) {
    const path = samplePath(SAMPLES.find((x) => x.name === name)!);
    const mtime = statSync(path).mtimeMs;
    const year = inferYear(Number(expected.slice(5, 7)), Number(expected.slice(8, 10)), mtime);
    const text = readFileSync(path, "utf8").split("\n")[0]!;
    const r = chain({ kind: "line", text }, envAt(mtime, UTC));
    assert.equal(r.isOk() && new Date(r.value.time).toISOString(), expected.replace("????", String(year)), name);
  }
});

test("each dedicated parser alone reads every line of its sample", { skip: noSamples }, () => {
  for (const [name, parse] of Object.entries(DEDICATED)) {
    const s = measure(SAMPLES.find((x) => x.name === name)!, parse);
    assert.equal(s.ownTime, s.lines, `${name}: ${[...s.failed].map(([r, n]) => `${n} x ${r}`).join("; ")}`);
    assert.equal(levelPct(s) ?? 100, 100, `${name}: ${s.firstWrongLevel}`);
  }
});

test("collect --once over all 16 samples loses no line: each is a record or a dead-letter entry", { skip: noSamples, timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir("logsim-loghub-");
  try {
    const runtime = await detectRuntime();
    let stderr = "";
    const quiet: typeof runtime = { ...runtime, stderr: { isTTY: false, write: async (text: Uint8Array | string) => void (stderr += String(text)), flush: async () => undefined } };
    const out = join(dir, "out.jsonl");
    const dead = join(dir, "dead.jsonl");
    const code = await main(["collect", "-i", join(LOGHUB, "*_2k.log"), "-o", out, "--once", "--parser", "auto", "--state-dir", join(dir, "state"), "--deadletter", dead], quiet);
    assert.equal(code, 0);
    const count = (path: string) => {
      try {
        return readFileSync(path, "utf8").split("\n").filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const total = SAMPLES.reduce((n, s) => n + readFileSync(samplePath(s), "utf8").split("\n").filter(Boolean).length, 0);
    // Last lines without a newline (most samples end so) are left for the next run, and the summary says how many.
    const left = Number(/collect: (\d+) last lines? without a newline left for the next run/.exec(stderr)?.[1] ?? 0);
    assert.equal(count(out) + count(dead) + left, total, stderr);
  } finally {
    cleanup();
  }
});
