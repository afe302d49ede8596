/**
 * More files than the process may open, at any size: `files` files of two lines each under the
 * glob, the collector run with `ulimit -n LIMIT` (in a child shell). Verify: every line exactly
 * once; the state names every file; the summary says how many handles were recycled. Before the
 * open-file budget, 1,015 of 1,500 files were read, then EMFILE also stopped the state from being saved.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./_helpers.ts";
import { verifyWriter, WRITER_ID } from "./_collector.ts";
import { describeDelivery } from "./_delivery.ts";
import { cliCommandOn, collectorRuntime, shellQuote } from "./_scenario-runtime.ts";

const line = (n: number) => `{"n":${n},"generator":"${WRITER_ID}","seq":${n},"message":"line ${n}"}\n`;

export async function openFilesScenario(files: number, limit: number, timeoutMs: number): Promise<{ seconds: number }> {
  const { dir, cleanup } = tempDir("logsim-collect-open-files-");
  const started = performance.now();
  try {
    mkdirSync(join(dir, "logs"));
    for (let i = 0; i < files; i++) writeFileSync(join(dir, `logs/f${i}.log`), line(2 * i + 1) + line(2 * i + 2));
    const out = join(dir, "out.jsonl");
    const { cmd, args } = cliCommandOn(collectorRuntime());
    const argv = [cmd, ...args, "collect", "--input", join(dir, "logs/*.log"), "--once", "--parser", "json", "--output", out, "--state-dir", join(dir, "state")];
    const r = spawnSync("bash", ["-c", `ulimit -n ${limit} && exec ${argv.map(shellQuote).join(" ")}`], { cwd: dir, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const d = await verifyWriter([out], 2 * files);
    assert.equal(d.lostCount, 0, describeDelivery(d));
    assert.equal(d.duplicates, 0, describeDelivery(d));
    assert.equal(d.foreign, 0, describeDelivery(d));
    const state = JSON.parse(readFileSync(join(dir, "state", "collect.tail.json"), "utf8")) as { files: unknown[] };
    assert.equal(state.files.length, files);
    assert.match(r.stderr, /collect: 0 files still waiting for a file handle .*; [1-9]\d* times a file read to its end was closed to make room/);
    assert.doesNotMatch(r.stderr, /cannot (read|save)/);
    return { seconds: (performance.now() - started) / 1000 };
  } finally {
    cleanup();
  }
}
