import { test } from "node:test";
import assert from "node:assert/strict";
import { costOf, proveLinear } from "./regex-proof.ts";
import { parseRegex } from "./regex-syntax.ts";

const prove = (pattern: string, ignoreCase = false) => proveLinear(parseRegex(pattern, ignoreCase)!);

test("proved: alternatives, unambiguous single-character loops, anchored or guarded by a character outside the loop", () => {
  for (const pattern of [
    "(ERROR|WARN)",
    "user=(\\w+)",
    "^(?<ts>\\S+) (?<level>\\w+) (?<msg>.*)$",
    "status=(?<status>\\d{3}) latency=(?<ms>\\d+)ms",
    "(?<method>GET|POST) (?<path>\\S+) HTTP/1\\.[01]",
    "^\\s*x\\s*$",
    "^(?:\\d{1,3}\\.){3}\\d{1,3}$",
    "\\bDE\\d{20}\\b",
    "a.*?",
    "\\[(?<service>[a-z]+)\\]",
    "x\\d+y",
  ]) {
    const proof = prove(pattern);
    assert.ok(proof.proved, `${pattern}: ${proof.proved ? "" : proof.why}`);
  }
});

test("not proved, with the reason: overlapping loops, restarts inside a run, repeated groups, lookaround, backreferences", () => {
  const cases: Array<[string, string]> = [
    ["err.*x", "a repetition overlaps what follows it"],
    ["\\w+\\d", "a repetition overlaps what follows it"],
    ["a+b", "a search restarting inside a repetition's run can re-read it"],
    ["\\s+$", "a search restarting inside a repetition's run can re-read it"],
    ["[^\\]]+\\]", "a search restarting inside a repetition's run can re-read it"],
    ["1\\d+y", "a search restarting inside a repetition's run can re-read it"],
    ["(a+)+$", "a repeated group"],
    ["(ab)*c", "a repeated group"],
    ["foo(?=bar)", "lookaround"],
    ["(a)\\1", "backreference"],
  ];
  for (const [pattern, why] of cases) assert.deepEqual(prove(pattern), { proved: false, why }, pattern);
  assert.ok(prove("^[a-z]+Z").proved);
  assert.equal(prove("^[a-z]+Z", true).proved, false, "under ignoreCase [a-z] also matches Z");
});

test("the finite part's cost: ways through it and its width", () => {
  assert.deepEqual(costOf(parseRegex("(ERROR|WARN) (a|b|c)", false)!), { paths: 6, width: 7 });
  assert.deepEqual(costOf(parseRegex("\\d{1,3}x", false)!), { paths: 3, width: 4 });
  assert.deepEqual(costOf(parseRegex("(a|a)".repeat(25), false)!).paths, 2 ** 25);
  assert.equal(costOf(parseRegex("((a{1,5}){1,5}){1,5}", false)!).paths, 1e9, "capped");
});
