import { test } from "node:test";
import assert from "node:assert/strict";
import { findCard, isCardNumber, luhnValid } from "./card.ts";

test("test card numbers of each scheme are cards; one wrong digit, an unknown prefix or a wrong length is not", () => {
  const cards = ["4111111111111111", "4012888888881881", "5555555555554444", "2223003122003222", "378282246310005", "6011111111111117", "3530111333300000", "36227206271667", "6200000000000005", "4222222222222"];
  for (const c of cards) assert.ok(isCardNumber(c), c);
  assert.ok(!isCardNumber("4111111111111112"), "Luhn digit wrong");
  assert.ok(!isCardNumber("1732900000000"), "epoch milliseconds: no issuer starts with 17");
  assert.ok(!isCardNumber("9111111111111119"), "no scheme starts with 9");
  assert.ok(!isCardNumber("41111111111111111"), "Visa has no 17-digit numbers");
  assert.ok(luhnValid("79927398713") && !luhnValid("79927398710"));
});

test("findCard picks the card out of digit groups around it", () => {
  const text = "4111 1111 1111 1111 2024";
  assert.deepEqual(findCard(text), { start: 0, end: 19 });
  const after = "12 5555-5555-5555-4444";
  assert.equal(after.slice(findCard(after)!.start, findCard(after)!.end), "5555-5555-5555-4444");
  assert.equal(findCard("2026 11 29 1234 5678"), undefined);
});
