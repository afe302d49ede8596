import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { controlVictim, readPidFile } from "./process-control.ts";

/** Whether a process exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = performance.now() + 15_000;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("--run: the command is started, killed with SIGKILL, started again with a new pid, and stopped with SIGTERM", async () => {
  const exits: string[] = [];
  const victim = controlVictim({ kind: "run", command: "sleep 60" }, process.env, (_, how) => exits.push(how));
  const first = victim.pid!;
  try {
    assert.ok(alive(first));
    assert.deepEqual(victim.kill(), { pid: first });
    await until(() => !alive(first), "the killed process to go");
    assert.deepEqual(victim.kill(), { problem: "the --run command is not running" });
    const second = victim.restart()!;
    assert.notEqual(second, first);
    assert.ok(alive(second));
    assert.equal(await victim.stop(5000), "SIGTERM");
    assert.ok(!alive(second));
    assert.deepEqual(exits, [], "exits chaos caused are not reported as the command's own");
  } finally {
    for (const pid of [first, victim.pid]) if (pid && alive(pid)) process.kill(pid, "SIGKILL");
  }
});

test("--run: a command that exits by itself is reported, with its exit code", async () => {
  const exits: string[] = [];
  const victim = controlVictim({ kind: "run", command: "sh -c 'exit 3'" }, process.env, (_, how) => exits.push(how));
  await until(() => exits.length > 0, "the exit to be reported");
  assert.deepEqual(exits, ["exit code 3"]);
  assert.equal(victim.pid, undefined);
});

test("--kill-pidfile: the pid is read at each kill; a missing or empty file is a problem, not a crash", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chaos-pid-"));
  const victimProcess = controlVictim({ kind: "run", command: "sleep 60" });
  try {
    const file = join(dir, "collector.pid");
    assert.match(String(readPidFile(file)), /cannot read pid file/);
    writeFileSync(file, "\n");
    assert.match(String(readPidFile(file)), /holds no pid/);
    writeFileSync(file, `${victimProcess.pid}\n`);
    const byFile = controlVictim({ kind: "pidfile", path: file });
    assert.equal(byFile.restarts, false);
    assert.deepEqual(byFile.kill(), { pid: victimProcess.pid });
    const pid = victimProcess.pid!;
    await until(() => !alive(pid), "the process named by the pid file to go");
  } finally {
    await victimProcess.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
});
