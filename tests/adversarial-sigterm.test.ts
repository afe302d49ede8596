/** SIGTERM with a batch in flight (CI size): 3 stops while reading a 100,000-line backlog; nothing lost, nothing twice. */
import { test } from "node:test";
import { sigtermScenario } from "./_scenario-sigterm.ts";

test("SIGTERM 3 times with a batch in flight: verify finds nothing lost, nothing written twice", { timeout: 240_000 }, async () => {
  await sigtermScenario(100_000, 3);
});
