import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "./random.ts";

/** hex() by its definition, one digit at a time: eight digits per draw, least significant nibble first. */
function hexByDigit(random: Random, count: number): string {
  let out = "";
  for (let i = 0; i < count; i += 8) {
    let n = random.nextU32();
    for (let j = 0; j < 8 && i + j < count; j++, n >>>= 4) out += "0123456789abcdef"[n & 15];
  }
  return out;
}

test("hex gives the digits of the digit-by-digit definition for every length, so seeded output never changes", () => {
  const fast = new Random(7, "hex");
  const reference = new Random(7, "hex");
  for (let round = 0; round < 200; round++) {
    for (const count of [0, 1, 3, 4, 7, 8, 9, 10, 12, 16, 24, 31, 32, 33]) assert.equal(fast.hex(count), hexByDigit(reference, count), `hex(${count}) in round ${round}`);
  }
});

test("hex of a fixed seed is stable", () => {
  assert.equal(new Random(1, "content").hex(32), hexByDigit(new Random(1, "content"), 32));
  assert.match(new Random(1, "content").hex(12), /^[0-9a-f]{12}$/);
});
