/**
 * The direct proof checked against the ReDoS analysis on random patterns: whatever the proof
 * calls linear-time on a backtracking engine, recheck must not find vulnerable.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { proveLinear } from "./regex-proof.ts";
import { formatAttack } from "./regex-engine.ts";
import { analyzeRegex } from "./regex-recheck.ts";
import { parseRegex } from "./regex-syntax.ts";

const atom = fc.constantFrom("a", "b", "x", " ", "[ab]", "[^a]", "\\w", "\\d", "\\s", "\\S", ".", "[a-z]");
const quantifier = fc.constantFrom("", "", "*", "+", "?", "{1,3}", "{2,}", "*?");
const item: fc.Arbitrary<string> = fc.letrec<{ seq: string; item: string }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(atom, quantifier).map(([a, q]) => a + q),
    fc.tuple(fc.array(tie("seq"), { minLength: 1, maxLength: 3 }), fc.constantFrom("", "", "?", "{2}", "*", "+")).map(([alts, q]) => `(?:${alts.join("|")})${q}`),
  ),
  seq: fc.array(tie("item"), { minLength: 1, maxLength: 4 }).map((items) => items.join("")),
})).item;
const pattern = fc.tuple(fc.constantFrom("", "", "^"), fc.array(item, { minLength: 1, maxLength: 4 }), fc.constantFrom("", "", "$"), fc.boolean()).map(([start, items, end, ignoreCase]) => ({ source: start + items.join("") + end, ignoreCase }));

test("no pattern the direct proof accepts is found vulnerable by recheck", () => {
  let proved = 0;
  fc.assert(
    fc.property(pattern, ({ source, ignoreCase }) => {
      const tree = parseRegex(source, ignoreCase);
      assert.ok(tree, `reads ${source}`);
      if (!proveLinear(tree).proved) return;
      proved++;
      const analysis = analyzeRegex(source, ignoreCase ? "i" : "");
      const found = analysis.status === "vulnerable" ? `${analysis.complexity} on '${formatAttack(analysis.attack)}'` : "";
      assert.equal(found, "", `${source}${ignoreCase ? " (i)" : ""} was proved linear, but recheck found it vulnerable`);
    }),
    { numRuns: 400, seed: 14 },
  );
  assert.ok(proved > 50, `the proof accepted ${proved} of 400 patterns`);
});
