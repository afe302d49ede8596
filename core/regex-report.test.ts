import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { regexOption } from "./regex.ts";
import { regexEngines } from "./regex-report.ts";

test("finds regex options through optional, default, describe, arrays, unions and pipes, with a sibling ignoreCase", () => {
  const rule = z.strictObject({ match: regexOption().optional().describe("a regex"), ignoreCase: z.boolean().default(false) });
  const schema = z.strictObject({
    pattern: regexOption().describe("described: a clone of the schema"),
    rules: z.array(rule).default([]),
    patterns: z.array(z.union([regexOption({ nonEmpty: true }), z.strictObject({ match: regexOption() })])).default([]),
    piped: regexOption().transform((s) => s.length),
    other: z.string().optional(),
  });
  const written = { pattern: "user=(\\w+)", rules: [{ match: "(ERROR|WARN)", ignoreCase: true }, {}], patterns: ["ab|cd", { match: "x\\d+" }], piped: "^\\S+ ", other: "(a+)+$" };
  assert.ok(schema.safeParse(written).success);
  const found = regexEngines(schema, written).map(({ path, ignoreCase, engine }) => ({ path, ignoreCase, engine }));
  assert.deepEqual(found, [
    { path: "pattern", ignoreCase: false, engine: "native" },
    { path: "rules[0].match", ignoreCase: true, engine: "native" },
    { path: "patterns[0]", ignoreCase: false, engine: "native" },
    { path: "patterns[1].match", ignoreCase: false, engine: "native" },
    { path: "piped", ignoreCase: false, engine: "native" },
  ]);
});

test("reports the reason, and a refused pattern as refused", () => {
  const schema = z.strictObject({ match: z.string() });
  assert.deepEqual(regexEngines(schema, { match: "(a)\\1" }), [], "a plain string is not a regex option");
  const [plain] = regexEngines(z.strictObject({ match: regexOption() }), { match: "(ERROR|WARN)" });
  assert.equal(plain!.reason, "safe: no repetition, at most 2 ways to match");
  const [refused] = regexEngines(z.strictObject({ match: regexOption() }), { match: "(a)\\1" });
  assert.equal(refused!.engine, undefined);
  assert.match(refused!.reason, /backreferences are not supported/);
});
