import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRegex, type CharSet } from "./regex-syntax.ts";

const members = (set: CharSet, code: number) => (code < 128 ? ((set.ascii >> BigInt(code)) & 1n) === 1n : set.other);
const SAMPLES = [...Array.from({ length: 128 }, (_, i) => i), 0xe9, 0xc9, 0x3b1, 0x2028, 0xa0, 0x17f, 0x212a, 0xfeff];

test("each atom's character set agrees with RegExp on ASCII; a non-ASCII match is always flagged", () => {
  const atoms = ["a", "Z", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", ".", "[a-f0-9]", "[^\\]]", "[^a-z]", "[\\w.-]", "[\\b]", "\\x41", "\\u00e9", "\\cJ", "\\n", "\\.", "\\/", "[\\1]", "[A-Z_]", "é", "[^\\s]", "\\t", "[\\u0000-\\u00ff]"];
  for (const ignoreCase of [false, true]) {
    for (const atom of atoms) {
      const tree = parseRegex(atom, ignoreCase);
      assert.ok(tree?.type === "char", `${atom} is one character`);
      const native = new RegExp(`^${atom}$`, ignoreCase ? "i" : "");
      for (const code of SAMPLES) {
        const matches = native.test(String.fromCharCode(code));
        if (code < 128) assert.equal(members(tree.set, code), matches, `${atom} /${ignoreCase ? "i" : ""} on ${code}`);
        else if (matches) assert.ok(tree.set.other, `${atom} /${ignoreCase ? "i" : ""} matches ${code}: flagged`);
      }
    }
  }
});

test("structure: alternatives, repetition bounds, groups, assertions; unreadable syntax gives up", () => {
  const tree = parseRegex("^(?:ab|c){2,5}?x*(?<n>y)\\b$", false)!;
  assert.equal(tree.type, "seq");
  const types = tree.type === "seq" ? tree.items.map((n) => (n.type === "repeat" ? `repeat{${n.min},${n.max}}` : n.type)) : [];
  assert.deepEqual(types, ["assert", "repeat{2,5}", "repeat{0,Infinity}", "char", "assert", "assert"]);
  assert.equal(parseRegex("a{,3}", false)?.type, "seq", "without u, {,3} is literal text");
  assert.equal(parseRegex("(a)\\1", false)?.type, "seq");
  assert.equal(parseRegex("(?=a)", false)?.type, "look");
  assert.equal(parseRegex("a)", false), undefined);
});
