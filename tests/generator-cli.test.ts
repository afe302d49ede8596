/** `logsim generate` end to end, as a child process under the runtime running the tests. */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";
import { CSV_COLUMNS } from "../core/line-format.ts";

const HEADER = CSV_COLUMNS.join(",");

test("generate --output rotates, and every CSV file starts with the header; counts are exact", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "gen.csv");
    const result = await runCli(["generate", "--format", "csv", "--count", "6000", "--seed", "7", "--start-time", "2026-11-23T10:00:00Z", "--output", path, "--max-bytes", "65536", "--backups", "100", "--report", join(dir, "report.json")]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "", "nothing on stdout when writing a file");
    assert.match(result.stderr, /6,000 events/);
    const files = readdirSync(dir).filter((f) => f.startsWith("gen.csv"));
    assert.ok(files.length > 10, `rotated into ${files.length} files`);
    const seqs: number[] = [];
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8");
      assert.ok(text.startsWith(`${HEADER}\n`), `${file} starts with the header`);
      assert.ok(Buffer.byteLength(text) <= 65536, `${file} within max-bytes`);
      // Data rows: the generator's values hold no line breaks, so rows are lines.
      for (const row of text.split("\n").slice(1, -1)) seqs.push(Number(row.split(",")[5]));
    }
    assert.equal(seqs.length, 6000);
    assert.deepEqual(seqs.sort((a, b) => a - b), Array.from({ length: 6000 }, (_, i) => i + 1));
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    assert.equal(report.emitted, 6000);
  } finally {
    cleanup();
  }
});

test("generate to a pipe: stdout carries only log lines, the summary goes to stderr", { timeout: 60_000 }, async () => {
  const result = await runCli(["generate", "--format", "json", "--count", "500", "--seed", "3"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 500);
  lines.forEach((line, i) => assert.equal(JSON.parse(line).seq, i + 1));
  assert.match(result.stderr, /logsim generate: 500 events to stdout/);
  assert.doesNotMatch(result.stderr, /\r|\x1b\[/, "no progress line when stderr is not a terminal");
});

test("generate --format apache: one access-log line per HTTP request, and the summary counts the events not written", { timeout: 60_000 }, async () => {
  const result = await runCli(["generate", "--format", "apache", "--count", "400", "--seed", "3", "--start-time", "2026-11-23T10:00:00Z"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 400);
  for (const line of lines) assert.match(line, /^\d+\.\d+\.\d+\.\d+ - \S+ \[[^\]]+\] "[A-Z]+ \S+ HTTP\/1\.1" [1-5]\d\d \d+ "[^"]*" "[^"]*"$/);
  assert.match(result.stderr, /logsim generate: 400 events to stdout/);
  assert.match(result.stderr, /not written: [\d,]+ simulated events that are not HTTP requests/);
});

test("generate reports bad flags one per line, exit 2, no stack trace", { timeout: 60_000 }, async () => {
  const result = await runCli(["generate", "--rate", "fast", "--count=-3", "--format", "xml", "--burst-every", "soon"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /--rate: expected a number, got "fast"/);
  assert.match(result.stderr, /--burst-every: expected a duration/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  const schema = await runCli(["generate", "--count=-3", "--burst-probability", "2"]);
  assert.equal(schema.code, 2);
  assert.match(schema.stderr, /--count: expected a positive integer/);
  assert.match(schema.stderr, /--burst-probability: expected a probability between 0 and 1/);
  const format = await runCli(["generate", "--format", "xml", "--count", "1"]);
  assert.match(format.stderr, /--format: expected one of json, csv, text, logfmt, apache, syslog, got "xml"/);
});

test("generate --nats-url loads the nats sink only then (it is not among the plugins of a file run): an unreachable server is named", { timeout: 60_000 }, async () => {
  const result = await runCli(["generate", "--count", "1", "--nats-url", "nats://127.0.0.1:1"]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /Plugin "nats" \(generate\.nats\) failed in create: cannot reach a NATS server at nats:\/\/127\.0\.0\.1:1/);
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
});
