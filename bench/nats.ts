/**
 * End-to-end records/s through NATS JetStream: two agents publish (nats sink) to an R3 stream on a
 * real 3-node cluster on this machine, and 1, 2 and 4 workers (nats-source -> jsonl) consume it.
 * The time is from the agents' start until every record is in the workers' outputs.
 *
 *   node --conditions=source --import tsx bench/nats.ts [records]   (also bun bench/nats.ts, deno run -A bench/nats.ts)
 *
 * On 2 cores, the three servers, the agents and the workers share the same two cores: adding
 * workers cannot show scaling here. On a real cluster each worker has its own cores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runClusterScenario } from "../plugins/nats/_test-cluster-scenario.ts";
import { natsServerMissing } from "../plugins/nats/_test-servers.ts";

const missing = natsServerMissing();
if (missing) throw new Error(missing);
const records = Number(process.argv[2] ?? 50_000);
const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : `node ${process.versions.node}`;
console.log(`nats bench: ${records} records, 2 agents, R3 stream on 3 local nodes, ${runtime}`);
for (const workers of [1, 2, 4]) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-nats-bench-"));
  try {
    const r = await runClusterScenario({ dir, records, workers, fault: { kind: "none" }, deadlineMs: 600_000 });
    if (r.missing.length > 0) throw new Error(`records missing: ${r.missing.join(", ")}`);
    console.log(`${workers} worker${workers > 1 ? "s" : " "}: ${r.recordsPerSecond.toLocaleString("en-US")} records/s end to end (${(r.ms / 1000).toFixed(1)} s; per worker ${r.perWorker.join(" / ")}; ${r.duplicates} duplicates)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
