import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSafeRegex } from "./regex.ts";
import { ANALYSIS_TIMEOUT_MS } from "./regex-recheck.ts";
import { FILTER, PLAIN_PATTERN, TAGS } from "../bench/workload/rules.ts";

const engineOf = (pattern: string, ignoreCase = false) => compileSafeRegex(pattern, { ignoreCase })._unsafeUnwrap().engine;

/** Runs `re` on `text` and says how long it took, in ms. */
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

test("the patterns users write run on RegExp, with groups and repetition", () => {
  const patterns = ["(ERROR|WARN)", "user=(\\w+)", "^(?<ts>\\S+) (?<level>\\w+) (?<msg>.*)$", "user=u-\\d+", "ERROR|payment", PLAIN_PATTERN, FILTER, ...TAGS.map((t) => t.message)];
  for (const pattern of patterns) {
    const re = compileSafeRegex(pattern)._unsafeUnwrap();
    assert.equal(re.engine, "native", pattern);
    assert.match(re.reason, /^safe: /, pattern);
  }
  assert.equal(compileSafeRegex("(ERROR|WARN)")._unsafeUnwrap().reason, "safe: no repetition, at most 2 ways to match");
  assert.equal(compileSafeRegex("user=(\\w+)")._unsafeUnwrap().reason, "safe: every repetition is unambiguous");
  const plain = compileSafeRegex(PLAIN_PATTERN)._unsafeUnwrap();
  assert.deepEqual({ ...plain.groups("2026-11-29T10:00:00.123Z WARN [payment] charge retry user=u-1") }, { timestamp: "2026-11-29T10:00:00.123Z", level: "WARN", service: "payment", message: "charge retry user=u-1" });
  assert.equal(plain.groups("not a plain line"), undefined);
  const filter = compileSafeRegex(FILTER)._unsafeUnwrap();
  assert.ok(filter.test('{"level":"WARN","msg":"x"}'));
  assert.ok(!filter.test('{"level":"INFO","msg":"x"}'));
  assert.ok(compileSafeRegex("error", { ignoreCase: true })._unsafeUnwrap().test("ERROR"));
  assert.ok(compileSafeRegex("err.*x", { ignoreCase: true })._unsafeUnwrap().test("ERR   X"));
});

test("classic ReDoS patterns run on the linear-time engine, and finish on hostile input", () => {
  for (const pattern of ["(a+)+$", "^(a|a)*$", "(a|aa)+$", "^(\\w+\\s?)*$", ".*error.*x", "\\s+$", "a+b"]) {
    const re = compileSafeRegex(pattern)._unsafeUnwrap();
    assert.equal(re.engine, "re2", pattern);
    // A loaded machine may stop the analysis of the polynomial ones at its timeout: RE2 all the same.
    assert.match(re.reason, /^(vulnerable: (exponential|polynomial \(degree \d\)) backtracking on '|not proved safe: the analysis timed out)/, pattern);
    const evil = `${"a".repeat(50_000)}!`;
    // A backtracking engine needs ~2^50000 steps here (never finishes); a linear one, milliseconds.
    const ms = timed(() => assert.equal(re.test(evil), false));
    assert.ok(ms < 2000, `${pattern} took ${ms.toFixed(0)} ms`);
  }
  assert.match(compileSafeRegex("(a+)+$")._unsafeUnwrap().reason, /^vulnerable: exponential backtracking on 'aaaa/);
});

test("backreferences, unproved lookaround and syntax errors are refused with a reason", () => {
  assert.match(compileSafeRegex("(a)\\1")._unsafeUnwrapErr(), /backreferences are not supported/);
  assert.match(compileSafeRegex("(?<x>a)\\k<x>")._unsafeUnwrapErr(), /backreferences/);
  const lookahead = compileSafeRegex("(?=(a+)+$)x")._unsafeUnwrapErr();
  assert.match(lookahead, /lookahead and lookbehind are not supported by the linear-time engine, and the ReDoS analysis did not prove this pattern safe \(/);
  assert.match(compileSafeRegex("(unclosed")._unsafeUnwrapErr(), /invalid regular expression/);
  assert.ok(compileSafeRegex("[\\1]").isOk(), "inside a class \\1 is not a backreference");
});

test("lookaround the analysis proves safe runs on RegExp", () => {
  const ahead = compileSafeRegex("foo(?=bar)")._unsafeUnwrap();
  assert.equal(ahead.engine, "native");
  assert.match(ahead.reason, /^safe: ReDoS analysis \(recheck\) found/);
  assert.ok(ahead.test("xfoobar") && !ahead.test("foobaz"));
  const behind = compileSafeRegex("(?<!x)y")._unsafeUnwrap();
  assert.equal(behind.engine, "native");
  assert.ok(behind.test("ay") && !behind.test("xy"));
});

test("named groups on both engines", () => {
  assert.deepEqual({ ...compileSafeRegex("(?<level>INFO|WARN)")._unsafeUnwrap().groups("x WARN y") }, { level: "WARN" });
  assert.deepEqual({ ...compileSafeRegex("(?<user>u-\\d+) (?P<n>\\d+)")._unsafeUnwrap().groups("u-12 34") }, { user: "u-12", n: "34" });
  assert.equal(compileSafeRegex("(?<user>u-\\d+)")._unsafeUnwrap().groups("nothing"), undefined);
  const onRe2 = compileSafeRegex("(?<a>a+)+(?<end>!)$")._unsafeUnwrap();
  assert.equal(onRe2.engine, "re2");
  assert.deepEqual({ ...onRe2.groups("aaa!") }, { a: "aaa", end: "!" });
  assert.deepEqual({ ...compileSafeRegex("ab|cd")._unsafeUnwrap().groups("xcd") }, {}, "a match without named groups");
});

test("patterns whose linear-time program is too large are refused; ordinary counted repetition is fine", () => {
  assert.match(compileSafeRegex("(\\w|\\s){1000}!")._unsafeUnwrapErr(), /too large for linear-time matching/);
  for (const ok of ["\\d{4}-\\d{2}-\\d{2}", ".{1,500}x", "[a-f0-9]{32}", "^(?:\\d{1,3}\\.){3}\\d{1,3}$"]) assert.equal(engineOf(ok), "native", ok);
});

test("groups of alternatives without any quantifier also run in linear time (V8 backtracks them exponentially)", () => {
  for (const unit of ["(a|a)", "(\\w|a)", "(?:a|[ab])", "(.|a)"]) {
    const pattern = `${unit.repeat(25)}!`;
    const re = compileSafeRegex(pattern)._unsafeUnwrap();
    assert.equal(re.engine, "re2", pattern);
    assert.match(re.reason, /^not safe to backtrack: 33554432 ways to match/);
    const ms = timed(() => assert.equal(re.test("a".repeat(40)), false));
    assert.ok(ms < 500, `${pattern} took ${ms.toFixed(0)} ms`);
  }
  assert.equal(engineOf("GET |POST |/api/"), "native", "flat alternation stays native");
});

test("a pattern the analysis cannot decide in time goes to RE2 without holding up the load", () => {
  // (.*a){20} is polynomial of high degree: the analysis gives up at its timeout or finds it vulnerable.
  let re: ReturnType<typeof compileSafeRegex> | undefined;
  const ms = timed(() => (re = compileSafeRegex("(.*a){20}")));
  assert.equal(re!._unsafeUnwrap().engine, "re2");
  assert.match(re!._unsafeUnwrap().reason, /^(not proved safe: the analysis timed out after \d+ ms|vulnerable: polynomial)/);
  assert.ok(ms < ANALYSIS_TIMEOUT_MS + 10_000, `the analysis took ${ms.toFixed(0)} ms`);
  const run = timed(() => re!._unsafeUnwrap().test("a".repeat(30) + "b".repeat(3000)));
  assert.ok(run < 2000, `matching took ${run.toFixed(0)} ms`);
});

test("ignoreCase counts in the proof: a class that folds onto what follows it is not proved", () => {
  assert.equal(compileSafeRegex("^[a-z]+Z")._unsafeUnwrap().reason, "safe: every repetition is unambiguous");
  const folded = compileSafeRegex("^[a-z]+Z", { ignoreCase: true })._unsafeUnwrap();
  assert.notEqual(folded.reason, "safe: every repetition is unambiguous");
  assert.ok(folded.test("abcZ") && folded.test("ABCz"));
});

test("without the analysis (a pattern given with a request), what the proof does not cover runs on RE2 and lookaround is refused", () => {
  const re = compileSafeRegex("(b+)+$", { analyze: false })._unsafeUnwrap();
  assert.equal(re.engine, "re2");
  assert.equal(re.reason, "not proved safe: the ReDoS analysis is not run for this pattern (given with a request)");
  assert.equal(compileSafeRegex("(ERROR|WARN) \\d+", { analyze: false })._unsafeUnwrap().engine, "native", "the direct proof still applies");
  assert.match(compileSafeRegex("foo(?=bar)", { analyze: false })._unsafeUnwrapErr(), /lookahead and lookbehind are not supported/);
});

test("hostile pattern shapes do not hang or crash the load: deep nesting, nested counted repetition", () => {
  const deep = `${"(".repeat(3000)}a${")".repeat(3000)}`;
  let result: ReturnType<typeof compileSafeRegex> | undefined;
  const ms = timed(() => (result = compileSafeRegex(deep)));
  assert.ok(result!.isOk() || /./.test(result!.error), "a result, not an exception");
  assert.ok(ms < ANALYSIS_TIMEOUT_MS + 10_000, `took ${ms.toFixed(0)} ms`);
  const nested = `${"(?:".repeat(40)}a${"){1,2}".repeat(40)}!`;
  let nestedResult: ReturnType<typeof compileSafeRegex> | undefined;
  const nestedMs = timed(() => (nestedResult = compileSafeRegex(nested)));
  // 2^40 ways through it: not for RegExp; RE2 refuses counts nested beyond 1,000 repeats.
  assert.match(nestedResult!._unsafeUnwrapErr(), /not supported by the linear-time engine: .*invalid repeat count/);
  assert.ok(nestedMs < 1000, `the proof took ${nestedMs.toFixed(0)} ms`);
});
