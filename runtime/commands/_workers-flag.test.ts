import assert from "node:assert/strict";
import { test } from "node:test";
import { workersFlag } from "./_workers-flag.ts";

test("--workers N and -w N are read before the command loads; anything the schema would refuse starts no thread", () => {
  assert.equal(workersFlag(["--input", "a.log", "--workers", "2"]), 2);
  assert.equal(workersFlag(["--workers=3", "--once"]), 3);
  assert.equal(workersFlag(["-w", "4"]), 4);
  assert.equal(workersFlag(["--config", "x.ts", "--filter", "ERROR"]), 0);
  for (const bad of ["0", "-1", "65", "two", "1.5", ""]) assert.equal(workersFlag(["--workers", bad]), 0, bad);
  assert.equal(workersFlag(["--explain", "a.log", "--workers", "2"]), 0, "explain parses no lines");
});
