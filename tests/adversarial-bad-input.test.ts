/**
 * Bad input under the glob (CI size: the huge line is 5 MB; 50 MB in the .long file): every bad
 * line counted and kept with its reason, the rest delivered; verify with the dead-letter file
 * finds nothing lost. Two kinds fail today (bugs reported, in core/plugins, not the suite's to
 * fix), committed as todo.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertBadInput, badInputScenario } from "./_scenario-bad-input.ts";

test("invalid UTF-8, a NUL byte, CRLF, a 5 MB line, binary garbage: counted, dead-lettered with a reason, the rest delivered", { timeout: 180_000 }, async () => {
  const run = await badInputScenario(["invalid-utf8", "nul", "crlf", "huge-line", "garbage"], 5_000_000);
  assertBadInput(run);
  // The invalid UTF-8 line, the NUL byte (invalid JSON) and the huge line (cut at 1 MiB: invalid JSON) are
  // dead-lettered with their seq; the CRLF line is delivered; the garbage holds no seq.
  assert.equal(run.delivery.deadLettered, 3, run.stderr);
  assert.equal(run.delivery.delivered, run.count - 3);
  assert.match(run.stderr, /parse errors 4\b/);
  assert.match(run.stderr, /1 lines over the length limit/);
  assert.match(run.stderr, /invalid-utf8\.log: invalid UTF-8/);
  assert.match(run.stderr, /garbage\.log: invalid UTF-8/);
});

// The json parser refuses JSON nested deeper than 1,000 levels (no sink could write it back: JSON.stringify overflowed its stack).
test("deeply nested JSON (100,000 levels): dead-lettered or delivered, the pipeline goes on", { timeout: 180_000 }, async () => {
  assertBadInput(await badInputScenario(["crlf", "deep-json", "crlf"], 0));
});

test("a gzip file matched by the glob: counted and named, not silently left as a line without a newline", { timeout: 180_000 }, async () => {
  const run = await badInputScenario(["crlf", "gzip"], 0);
  assertBadInput(run);
  assert.match(run.stderr, /gzip\.log\.gz.*(compressed|gzip)/i, "the summary names the compressed file");
});
