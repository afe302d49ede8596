import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSafeRegex } from "./regex.ts";

test("plain alternations run on RegExp, repetition on the linear-time engine", () => {
  const simple = compileSafeRegex("ERROR|payment")._unsafeUnwrap();
  assert.equal(simple.engine, "native");
  assert.ok(simple.test("a payment was made"));
  assert.ok(!simple.test("all fine"));
  const repeated = compileSafeRegex("user=u-\\d+")._unsafeUnwrap();
  assert.equal(repeated.engine, "re2");
  assert.ok(repeated.test("x user=u-1042 y"));
  assert.ok(compileSafeRegex("error", { ignoreCase: true })._unsafeUnwrap().test("ERROR"));
  assert.ok(compileSafeRegex("err.*x", { ignoreCase: true })._unsafeUnwrap().test("ERR   X"));
});

test("classic ReDoS patterns run in linear time", () => {
  for (const pattern of ["(a+)+$", "^(a|a)*$", "(a|aa)+$", "^(\\w+\\s?)*$", ".*error.*x"]) {
    const re = compileSafeRegex(pattern)._unsafeUnwrap();
    const evil = `${"a".repeat(50_000)}!`;
    const start = performance.now();
    assert.equal(re.test(evil), false);
    const ms = performance.now() - start;
    // A backtracking engine needs ~2^50000 steps here (never finishes); a linear one, milliseconds.
    assert.ok(ms < 2000, `${pattern} took ${ms.toFixed(0)} ms`);
  }
});

test("backreferences, lookaround and syntax errors are refused with a reason", () => {
  assert.match(compileSafeRegex("(a)\\1")._unsafeUnwrapErr(), /backreferences/);
  assert.match(compileSafeRegex("(?<x>a)\\k<x>")._unsafeUnwrapErr(), /backreferences/);
  assert.match(compileSafeRegex("foo(?=bar)")._unsafeUnwrapErr(), /lookahead/);
  assert.match(compileSafeRegex("(?<!x)y")._unsafeUnwrapErr(), /lookbehind/);
  assert.match(compileSafeRegex("(unclosed")._unsafeUnwrapErr(), /invalid regular expression/);
  assert.ok(compileSafeRegex("[\\1]").isOk(), "inside a class \\1 is not a backreference");
});

test("named groups on both engines", () => {
  assert.deepEqual({ ...compileSafeRegex("(?<level>INFO|WARN)")._unsafeUnwrap().groups("x WARN y") }, { level: "WARN" });
  assert.deepEqual({ ...compileSafeRegex("(?<user>u-\\d+) (?P<n>\\d+)")._unsafeUnwrap().groups("u-12 34") }, { user: "u-12", n: "34" });
  assert.equal(compileSafeRegex("(?<user>u-\\d+)")._unsafeUnwrap().groups("nothing"), undefined);
});

test("patterns whose linear-time program is too large are refused; ordinary counted repetition is fine", () => {
  assert.match(compileSafeRegex("(\\w|\\s){1000}!")._unsafeUnwrapErr(), /too large for linear-time matching/);
  for (const ok of ["\\d{4}-\\d{2}-\\d{2}", ".{1,500}x", "[a-f0-9]{32}"]) assert.ok(compileSafeRegex(ok).isOk(), ok);
});

test("groups of alternatives without any quantifier also run in linear time (V8 backtracks them exponentially)", () => {
  for (const unit of ["(a|a)", "(\\w|a)", "(?:a|[ab])", "(.|a)"]) {
    const pattern = `${unit.repeat(25)}!`;
    const re = compileSafeRegex(pattern)._unsafeUnwrap();
    assert.equal(re.engine, "re2", pattern);
    const start = performance.now();
    assert.equal(re.test("a".repeat(40)), false);
    const ms = performance.now() - start;
    assert.ok(ms < 500, `${pattern} took ${ms.toFixed(0)} ms`);
  }
  assert.equal(compileSafeRegex("GET |POST |/api/")._unsafeUnwrap().engine, "native", "flat alternation stays native");
});
