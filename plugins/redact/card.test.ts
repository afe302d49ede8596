import { test } from "node:test";
import assert from "node:assert/strict";
import { isCardNumber, luhnValid, replaceCards } from "./card.ts";

test("test card numbers of each scheme are cards; one wrong digit, an unknown prefix or a wrong length is not", () => {
  const cards = ["4111111111111111", "4012888888881881", "5555555555554444", "2223003122003222", "378282246310005", "6011111111111117", "3530111333300000", "36227206271667", "6200000000000005", "4222222222222"];
  for (const c of cards) assert.ok(isCardNumber(c), c);
  assert.ok(!isCardNumber("4111111111111112"), "Luhn digit wrong");
  assert.ok(!isCardNumber("1732900000000"), "epoch milliseconds: no issuer starts with 17");
  assert.ok(!isCardNumber("9111111111111119"), "no scheme starts with 9");
  assert.ok(!isCardNumber("41111111111111111"), "Visa has no 17-digit numbers");
  assert.ok(luhnValid("79927398713") && !luhnValid("79927398710"));
});

test("replaceCards: every card of a run, only the card beside other numbers, none touching a word", () => {
  const r = (text: string) => replaceCards(text, "#");
  assert.equal(r("4111 1111 1111 1111 4111 1111 1111 1111"), "# #", "two cards in a row");
  assert.equal(r("4111111111111111,5555555555554444"), "#,#");
  assert.equal(r("4111 1111 1111 1111 2024"), "# 2024", "a card and a year");
  assert.equal(r("ref 12 5555-5555-5555-4444 ok"), "ref 12 # ok");
  assert.equal(r("id=x4111111111111111 and 4111111111111111abc"), "id=x4111111111111111 and 4111111111111111abc", "part of a word");
  assert.equal(r("o-4111111111111111"), "o-#");
  assert.equal(r("2026 11 29 1234 5678 ts 1732900000000"), "2026 11 29 1234 5678 ts 1732900000000");
});

test("replaceCards takes linear time on runs of digit groups", () => {
  for (const unit of ["4 ", "4", "4-", "41111 "]) {
    const input = unit.repeat(Math.ceil(100_000 / unit.length));
    const start = performance.now();
    replaceCards(input, "#");
    assert.ok(performance.now() - start < 3_000, unit);
  }
});
