/** `generate --output`: a one-shot run writes everything to its file unless --max-bytes asks for rotation (as flog does). */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { formatFiles } from "../runtime/commands/generate.ts";
import { runCli, tempDir } from "./_helpers.ts";

const lineCount = (path: string) => readFileSync(path, "utf8").split("\n").length - 1;

test("generate --output without --max-bytes writes every event to that one file", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "apache.log");
    // ~2 MiB of json: more than the 1 MiB the output used to rotate at.
    const r = await runCli(["generate", "--format", "json", "--count", "6000", "--seed", "1", "--output", path]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir), ["apache.log"]);
    assert.equal(lineCount(path), 6000);
    assert.match(r.stderr, /6,000 events to .*apache\.log/);
    assert.doesNotMatch(r.stderr, /files:|rotated away/);
  } finally {
    cleanup();
  }
});

test("with --max-bytes it rotates, and the summary says what each file holds and what was rotated away", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "gen.log");
    const r = await runCli(["generate", "--format", "json", "--count", "3000", "--seed", "1", "--output", path, "--max-bytes", "65536", "--backups", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ["gen.log", "gen.log.1", "gen.log.2"]);
    const held = [path, `${path}.1`, `${path}.2`].map(lineCount);
    const files = /files: .*gen\.log holds ([\d,]+) events, .*gen\.log\.1 ([\d,]+), .*gen\.log\.2 ([\d,]+); ([\d,]+) events rotated away \(beyond --backups 2\)/.exec(r.stderr);
    assert.ok(files, r.stderr);
    const said = files.slice(1).map((n) => Number(n.replace(/,/g, "")));
    assert.deepEqual(said.slice(0, 3), held);
    assert.equal(said[3], 3000 - held.reduce((a, b) => a + b, 0));
    assert.ok(said[3]! > 0);
  } finally {
    cleanup();
  }
});

test("--backups without --max-bytes is a usage error naming the flag, not silently ignored", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runCli(["generate", "--count", "10", "--output", join(dir, "gen.log"), "--backups", "5"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), "--backups: the output rotates only with --max-bytes; give --max-bytes N too");
    assert.ok(!existsSync(join(dir, "gen.log")));
  } finally {
    cleanup();
  }
});

test("formatFiles lists the kept files, newest first, and folds long lists", () => {
  assert.equal(formatFiles("a.log", 10, [], 3), undefined);
  assert.equal(formatFiles("a.log", 100, [30, 30, 30], 2), "  files: a.log holds 10 events, a.log.1 30, a.log.2 30; 30 events rotated away (beyond --backups 2)");
  assert.equal(formatFiles("a.log", 70, [10, 20, 30, 4, 5], 10), "  files: a.log holds 1 events, a.log.1 5, a.log.2 4, a.log.3 30, a.log.4 to a.log.5 30 together");
});
