import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes, formatCount, formatEta } from "./format-numbers.ts";

test("counts are grouped, sizes in binary units, ETAs in s, m or h", () => {
  assert.deepEqual([0, 999, 100_000, 1234567.4].map(formatCount), ["0", "999", "100,000", "1,234,567"]);
  assert.deepEqual([0, 1023, 1024, 1536, 37_458_662, 1_048_576 * 150, 5 * 1024 ** 3].map(formatBytes), ["0 B", "1,023 B", "1.00 KiB", "1.50 KiB", "35.7 MiB", "150 MiB", "5.00 GiB"]);
  assert.deepEqual([0.2, 59, 60, 185, 7800].map(formatEta), ["1s", "59s", "1m00s", "3m05s", "2h10m"]);
});
