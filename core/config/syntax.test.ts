import assert from "node:assert/strict";
import { test } from "node:test";
import { findJsonSyntaxError, formatSyntaxProblem, locate } from "./syntax.ts";

test("findJsonSyntaxError agrees with JSON.parse on what is valid, and points at the first bad character", () => {
  const cases: Array<[string, string | undefined]> = [
    ['{ "a": [1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"] }', undefined],
    ['{\n  "a": [ }\n}', '2:10: Unexpected "}", expected a value'],
    ['{\n  "a": 1,\n}', '2:9: Trailing comma before "}"'],
    ["[1, 2,]", '1:6: Trailing comma before "]"'],
    ['{ a: 1 }', "1:3: Unexpected \"a\", expected a property name in double quotes"],
    ['{ "a" 1 }', '1:7: Unexpected "1", expected ":" after the property name'],
    ['{ "a": 1 "b": 2 }', '1:10: Unexpected "\\"", expected "," or "}" after a property'],
    ['{ "a": "open\n}', "1:8: Unterminated string"],
    ['{ "a": "\\x" }', "1:9: Invalid escape in a string"],
    ['{ "a": 01 }', '1:9: Unexpected "1", expected "," or "}" after a property'],
    ['{ "a": tru }', 'Unexpected "t", expected a value'],
    ['{ "a": 1 } x', '1:12: Unexpected "x" after the end of the JSON value'],
    ['{ "a": [1', "1:10: Unexpected end of file, expected \",\" or \"]\" after an array item"],
    ["", "1:1: Unexpected end of file, expected a value"],
    ["{ \"é\": ' }", "1:8: Unexpected \"'\", expected a value"],
  ];
  for (const [text, expected] of cases) {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    const problem = findJsonSyntaxError(text);
    assert.equal(problem === undefined, valid, `agrees with JSON.parse on ${JSON.stringify(text)}`);
    if (expected === undefined) continue;
    const shown = `${problem!.line}:${problem!.column}: ${problem!.message}`;
    if (/^\d+:\d+: /.test(expected)) assert.equal(shown, expected, text);
    else assert.ok(shown.endsWith(expected), `${shown} / ${expected}`);
  }
});

test("formatSyntaxProblem: file:line:column, the line, and a caret under the column that keeps the line's tabs", () => {
  const text = "{\n\t\"a\": [ }\n}";
  const problem = locate(text, text.indexOf("}"), 'Unexpected "}"');
  assert.deepEqual(formatSyntaxProblem("/x/logsim.config.json", problem), ['/x/logsim.config.json:2:9: Unexpected "}"', '  \t"a": [ }', "  \t       ^"]);
});
