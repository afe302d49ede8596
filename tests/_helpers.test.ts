import assert from "node:assert/strict";
import { test } from "node:test";
import { waitFor } from "./_helpers.ts";

test("waitFor resolves once the condition holds, sync or async", async () => {
  let calls = 0;
  await waitFor(() => ++calls === 3, { timeoutMs: 10_000, what: "the third call" });
  assert.equal(calls, 3);
  await waitFor(async () => true);
});

test("waitFor fails with what it awaited and for how long, in either calling form", async () => {
  await assert.rejects(waitFor(() => false, { timeoutMs: 50, what: "the sink to recover" }), { message: "Timed out after 50 ms waiting for the sink to recover" });
  await assert.rejects(waitFor(() => false, 50, "three backups"), { message: "Timed out after 50 ms waiting for three backups" });
});
