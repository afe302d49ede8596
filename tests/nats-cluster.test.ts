/**
 * Scale-out on a real 3-node JetStream cluster, short version (10,000 records; the 100,000-record
 * run is tests/nats-cluster.long.test.ts, `npm run test:long`): the R3 stream's leader is SIGKILLed
 * while agents publish and two workers consume, then restarted. Nothing is missing; duplicates
 * (at-least-once) are counted and removed by id.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatScenario, runClusterScenario } from "../plugins/nats/_test-cluster-scenario.ts";
import { natsServerMissing } from "../plugins/nats/_test-servers.ts";

let dir: string;
before(() => void (dir = mkdtempSync(join(tmpdir(), "logsim-nats-cluster-"))));
after(() => rmSync(dir, { recursive: true, force: true }));

test("3-node cluster: the stream leader killed (SIGKILL) and restarted mid-run loses nothing", { skip: natsServerMissing(), timeout: 120_000 }, async () => {
  const result = await runClusterScenario({ dir: join(dir, "leader"), records: 10_000, ratePerAgent: 900, fault: { kind: "kill-leader", restartAfterMs: 3_000 }, deadlineMs: 100_000, log: (l) => console.log(l) });
  console.log(formatScenario("leader kill (short)", result));
  assert.deepEqual(result.missing, []);
  assert.equal(result.unique, 10_000);
  assert.ok(result.perWorker.every((n) => n > 0), `both workers consumed: ${result.perWorker.join(" + ")}`);
});
