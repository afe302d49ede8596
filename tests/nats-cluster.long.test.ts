/**
 * Scale-out on a real 3-node JetStream cluster, long version (`npm run test:long`): 100,000
 * sequenced records from two agents to an R3 stream, two workers consuming; the stream leader
 * SIGKILLed mid-run and restarted; then the whole cluster down for 10 s mid-run. Nothing is
 * missing, duplicates are counted and removed by id, memory stays bounded during the outage.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatScenario, runClusterScenario } from "../plugins/nats/_test-cluster-scenario.ts";
import { natsServerMissing } from "../plugins/nats/_test-servers.ts";

let dir: string;
before(() => void (dir = mkdtempSync(join(tmpdir(), "logsim-nats-long-"))));
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = natsServerMissing();

test("100,000 records: the stream leader SIGKILLed and restarted mid-run", { skip, timeout: 600_000 }, async () => {
  const result = await runClusterScenario({ dir: join(dir, "leader"), records: 100_000, ratePerAgent: 5_000, fault: { kind: "kill-leader", restartAfterMs: 5_000 }, deadlineMs: 500_000, log: (l) => console.log(l) });
  console.log(formatScenario("leader kill", result));
  assert.deepEqual(result.missing, []);
  assert.equal(result.unique, 100_000);
  assert.ok(result.perWorker.every((n) => n > 0), `both workers consumed: ${result.perWorker.join(" + ")}`);
});

test("100,000 records: the whole cluster down for 10 s mid-run, then back", { skip, timeout: 600_000 }, async () => {
  const result = await runClusterScenario({ dir: join(dir, "down"), records: 100_000, ratePerAgent: 5_000, fault: { kind: "cluster-down", downMs: 10_000 }, deadlineMs: 500_000, log: (l) => console.log(l) });
  console.log(formatScenario("cluster down 10 s", result));
  assert.deepEqual(result.missing, []);
  assert.equal(result.unique, 100_000);
  // Bounded: the sinks hold at most maxPending records each and the channels their capacity, whatever the outage's length.
  const growth = result.faultRss!.max - result.faultRss!.before;
  assert.ok(growth < 150 * 1024 * 1024, `RSS grew ${Math.round(growth / 1024 / 1024)} MB during the outage`);
});
