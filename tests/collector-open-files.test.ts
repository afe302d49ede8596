/**
 * End to end: more files than the process may open. 1,500 files under the glob, the collector run
 * with `ulimit -n 256` (in a child shell): every line is collected, the state names every file, and
 * the summary says how many handles were recycled. Before the open-file budget, 1,015 files were
 * read, then EMFILE also stopped the state from being saved.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliCommand, tempDir } from "./_helpers.ts";
import { collectedNumbers, tallyNumbers } from "./_collector.ts";

const FILES = 1500;
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

test("1,500 files with ulimit -n 256: every line collected, state saved for every file", { timeout: 180_000 }, () => {
  const { dir, cleanup } = tempDir("logsim-collect-open-files-");
  try {
    mkdirSync(join(dir, "logs"));
    for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `logs/f${i}.log`), `{"n":${2 * i + 1},"message":"line ${2 * i + 1}"}\n{"n":${2 * i + 2},"message":"line ${2 * i + 2}"}\n`);
    const out = join(dir, "out.jsonl");
    const { cmd, args } = cliCommand();
    const argv = [cmd, ...args, "collect", "--input", join(dir, "logs/*.log"), "--once", "--parser", "json", "--output", out, "--state-dir", join(dir, "state")];
    const r = spawnSync("bash", ["-c", `ulimit -n 256 && exec ${argv.map(quote).join(" ")}`], { cwd: dir, encoding: "utf8", timeout: 170_000, env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const { numbers, broken } = collectedNumbers(out);
    assert.deepEqual(broken, []);
    const { missing, duplicates } = tallyNumbers(numbers, 2 * FILES);
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} lines missing`);
    assert.equal(duplicates, 0);
    const state = JSON.parse(readFileSync(join(dir, "state", "collect.tail.json"), "utf8")) as { files: unknown[] };
    assert.equal(state.files.length, FILES);
    assert.match(r.stderr, /collect: 0 files still waiting for a file handle .*; [1-9]\d* times a file read to its end was closed to make room/);
    assert.doesNotMatch(r.stderr, /cannot (read|save)/);
  } finally {
    cleanup();
  }
});
