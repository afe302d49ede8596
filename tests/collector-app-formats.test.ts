// `logsim collect --parser NAME` with the application-format parsers, over loghub's real samples (read in place).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCli, tempDir } from "./_helpers.ts";

const LOGHUB = join(ROOT, "..", "shared", "conformance", "loghub");

const cases: Array<[string, string, Record<string, unknown>]> = [
  ["java", "Zookeeper_2k.log", { level: "INFO", service: "FastLeaderElection", message: "Notification time out: 3200", thread: "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181", line: 774 }],
  ["python", "OpenStack_2k.log", { level: "INFO", service: "nova.osapi_compute.wsgi.server", pid: 25746, request_id: "req-38101a0b-2096-447d-96ea-a692162415ae" }],
];

for (const [parser, file, first] of cases) {
  test(`collect --parser ${parser} reads loghub's ${file}`, { timeout: 120_000 }, async (t) => {
    if (!existsSync(join(LOGHUB, file))) return t.skip("no loghub samples in ../shared/conformance");
    const { dir, cleanup } = tempDir("logsim-collect-app-");
    try {
      const out = join(dir, "out.jsonl");
      const r = await runCli(["collect", "-i", join(LOGHUB, file), "-o", out, "--once", "--parser", parser, "--deadletter", join(dir, "dead.jsonl"), "--state-dir", join(dir, "state")], { cwd: dir, env: { TZ: "UTC" } });
      assert.equal(r.code, 0, r.stderr);
      const entries = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      // The sample's last line has no newline: --once leaves it for the next run, and says so.
      const left = Number(/collect: (\d+) last lines? without a newline left for the next run/.exec(r.stderr)?.[1] ?? 0);
      assert.equal(entries.length + left, 2000, r.stderr);
      for (const [key, value] of Object.entries(first)) assert.deepEqual(entries[0]![key], value, key);
      assert.equal((entries[0]!.origin as { parser: string }).parser, parser);
    } finally {
      cleanup();
    }
  });
}
