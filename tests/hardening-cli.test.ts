/** CLI hardening: inputs that used to hang the CLI or print an internal error now get one clear line. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempDir } from "./_helpers.ts";

test("generate --backups 1000000000 is refused at once with one line naming the flag (it used to hang)", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runCli(["generate", "--count", "10", "--output", join(dir, "gen.log"), "--max-bytes", "100", "--backups", "1000000000"], { timeoutMs: 30_000 });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), "--backups: expected at most 10,000 backups (rotated files kept)");
  } finally {
    cleanup();
  }
});
