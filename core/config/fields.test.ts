import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { byteSize, minLevel, parseByteSize } from "./fields.ts";

test("sizes: bytes, SI and binary units, any case, a space allowed; whole bytes", () => {
  assert.equal(parseByteSize(512), 512);
  assert.equal(parseByteSize("512"), 512);
  assert.equal(parseByteSize("2KB"), 2000);
  assert.equal(parseByteSize("2 kib"), 2048);
  assert.equal(parseByteSize("10MiB"), 10 * 1024 ** 2);
  assert.equal(parseByteSize("1.5G"), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize("0.5B"), 0);
  for (const bad of ["", "MB", "10 parsecs", "-1", "1e3", "10MiBs"]) assert.equal(parseByteSize(bad), undefined, bad);
  assert.equal(parseByteSize(Number.NaN), undefined);
  assert.equal(parseByteSize("99999999999 GiB"), undefined, "beyond a safe integer");
});

test("the byteSize option parses to bytes and says what it expects", () => {
  const schema = z.object({ max: byteSize(), maybe: byteSize({ allowZero: true }).optional() });
  assert.deepEqual(schema.parse({ max: "1MiB", maybe: 0 }), { max: 1_048_576, maybe: 0 });
  const refused = schema.safeParse({ max: 0 });
  assert.ok(!refused.success);
  assert.match(refused.error.issues[0]!.message, /positive size such as "10MiB"/);
  assert.ok(!schema.safeParse({ max: true }).success);
});

test("minLevel is optional and normalises the spelling", () => {
  const schema = z.object({ minLevel: minLevel() });
  assert.deepEqual(schema.parse({}), {});
  assert.deepEqual(schema.parse({ minLevel: "warning" }), { minLevel: "WARN" });
});
