/** CLI hardening: inputs that used to hang the CLI or print an internal error now get one clear line. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("generate --backups 1000000000 is refused at once with one line naming the flag (it used to hang)", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runCli(["generate", "--count", "10", "--output", join(dir, "gen.log"), "--max-bytes", "100", "--backups", "1000000000"], { timeoutMs: 30_000 });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), "--backups: expected at most 10,000 backups (rotated files kept)");
  } finally {
    cleanup();
  }
});

// The limit is 10 s by default (core/config/load.test.ts); LOGSIM_CONFIG_TIMEOUT=2s keeps these runs short.
test("run with a config function that never resolves stops after the limit with one line naming the file, exit 1", { timeout: 90_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "never.config.mjs");
    writeFileSync(path, "export default () => new Promise(() => {});\n");
    const started = Date.now();
    const r = await runCli(["run", "--config", path], { cwd: dir, timeoutMs: 60_000, env: { LOGSIM_CONFIG_TIMEOUT: "2s" } });
    assert.equal(r.signal, null, "it ended by itself");
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Cannot load config ${path}: the config function did not return a config within 2 s`);
    assert.ok(Date.now() - started >= 1_900);
  } finally {
    cleanup();
  }
});

test("validate with a config module whose top-level await never resolves stops after the limit with one line, exit 1", { timeout: 90_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "tla.config.mjs");
    writeFileSync(path, "export default await new Promise(() => {});\n");
    const r = await runCli(["validate", "--config", path], { cwd: dir, timeoutMs: 60_000, env: { LOGSIM_CONFIG_TIMEOUT: "2s" } });
    assert.equal(r.signal, null, "it ended by itself");
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Cannot load config ${path}: the config module did not finish loading within 2 s (a top-level await that never resolves?)`);
  } finally {
    cleanup();
  }
});

test("validate with a getter or a Proxy trap that throws: one line `file: message`, exit 1, no internal error", { timeout: 90_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const bodies: Array<[string, string]> = [
      ["getter.config.mjs", "export default { get pipelines() { throw new Error('getter says no') } };\n"],
      ["proxy.config.mjs", "export default new Proxy({}, { ownKeys() { throw new Error('ownKeys says no') } });\n"],
    ];
    for (const [name, body] of bodies) {
      const path = join(dir, name);
      writeFileSync(path, body);
      const r = await runCli(["validate", "--config", path], { cwd: dir, timeoutMs: 30_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr.trim(), new RegExp(`^Cannot load config ${path.replace(/[.\\]/g, "\\$&")}: reading the config threw: (getter|ownKeys) says no$`));
      assert.doesNotMatch(r.stderr, /internal error/);
    }
  } finally {
    cleanup();
  }
});
