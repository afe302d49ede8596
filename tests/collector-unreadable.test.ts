/**
 * End to end: a file under the glob that the collector cannot read. Tests run as root, where
 * chmod 000 does not stop a read, so the collector runs as `nobody` (setpriv) in a folder it owns,
 * beside a root-owned file with mode 000: the real EACCES of a non-root collector.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliCommand, tempDir } from "./_helpers.ts";
import { collectedNumbers } from "./_collector.ts";

const NOBODY = 65534;
const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const isRoot = process.getuid?.() === 0;

/** Whether nobody can run logsim from this checkout at all (a clone inside a private folder cannot). */
function nobodyCanRun(): boolean {
  const { cmd, args } = cliCommand();
  const r = spawnSync(setpriv!, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", cmd, ...args, "--version"], { encoding: "utf8", timeout: 60_000, env: { ...process.env, HOME: "/tmp" } });
  return r.status === 0;
}

test("a file the collector cannot read is warned about once, summarised, and collected once readable", { timeout: 120_000, skip: !setpriv || !isRoot ? "needs root and setpriv to run the collector as nobody" : false }, (t) => {
  if (!nobodyCanRun()) return t.skip("the user nobody cannot read this checkout (it sits in a private folder), so the collector cannot run as nobody");
  const { dir, cleanup } = tempDir("logsim-collect-unreadable-");
  try {
    chmodSync(dir, 0o755);
    chownSync(dir, NOBODY, NOBODY);
    const home = join(dir, "home");
    mkdirSync(home);
    chownSync(home, NOBODY, NOBODY);
    writeFileSync(join(dir, "open.log"), '{"n":1,"message":"line 1"}\n', { mode: 0o644 });
    writeFileSync(join(dir, "secret.log"), '{"n":2,"message":"line 2"}\n');
    chmodSync(join(dir, "secret.log"), 0o000);
    const out = join(dir, "out.jsonl");
    const { cmd, args } = cliCommand();
    const run = () => {
      const r = spawnSync(setpriv!, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", cmd, ...args, "collect", "--input", join(dir, "*.log"), "--once", "--parser", "json", "--output", out, "--state-dir", join(dir, "state")], {
        cwd: dir, encoding: "utf8", timeout: 100_000, env: { ...process.env, NO_COLOR: "1", HOME: home, DENO_DIR: join(home, "deno") },
      });
      return { code: r.status, stderr: r.stderr };
    };
    const first = run();
    assert.equal(first.code, 0, first.stderr);
    const warnings = first.stderr.split("\n").filter((l) => /cannot read .*secret\.log \(EACCES\); it is retried/.test(l));
    assert.equal(warnings.length, 1, first.stderr);
    assert.match(first.stderr, /collect: cannot read .*secret\.log \(EACCES\): not collected/);
    assert.deepEqual(collectedNumbers(out).numbers, [1]);
    chmodSync(join(dir, "secret.log"), 0o644);
    const second = run();
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /cannot read/);
    assert.deepEqual(collectedNumbers(out).numbers.sort(), [1, 2]);
  } finally {
    cleanup();
  }
});
