/** Runs `logsim chaos` against `logsim collect` (started, killed and restarted by chaos) and checks delivery through verify, for the chaos end-to-end tests. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChaosReport } from "../runtime/commands/chaos/report.ts";
import { verifyDelivery, type Delivery } from "./_delivery.ts";
import { runCli, signal, waitFor } from "./_helpers.ts";
import { cliCommandOn, collectorRuntime, shellQuote, startCliOn, type RuntimeName } from "./_scenario-runtime.ts";

export interface ChaosCollectRun {
  report: ChaosReport;
  delivery: Delivery;
  /** Kills done (a kill event while the collector was down or just started is skipped). */
  kills: number;
  /** The chaos command's stderr: its event lines and the collector's. */
  stderr: string;
  code: number | null;
  /** Lines the catch-up collector had to read after chaos stopped its own. */
  caughtUp: number;
  /** The runtime the collector ran on. */
  collector: RuntimeName;
}

/** The collect arguments every run in `dir` uses: rotated names under the glob (as docs/collector.md advises), compressed ones not. */
export function collectArgs(dir: string): string[] {
  return ["collect", "-q", "-i", join(dir, "logs/app.log"), "-i", join(dir, "logs/app.log.[0-9]*"), "-x", join(dir, "logs/*.gz"), "--from-beginning", "-o", join(dir, "out/collected.jsonl"), "--state-dir", join(dir, "state")];
}

/**
 * Chaos with `flags` in `dir`, its collector (on `o.collector`, default collectorRuntime()) given
 * `settle` to catch up; then a second collector (the same state) reads whatever is left, until
 * every line is there or `catchUpMs` passes. Delivery is what `logsim verify` finds.
 */
export async function chaosAgainstCollect(dir: string, flags: string[], o: { timeoutMs: number; catchUpMs: number; collector?: RuntimeName }): Promise<ChaosCollectRun> {
  const runtime = o.collector ?? collectorRuntime();
  const { cmd, args } = cliCommandOn(runtime);
  const collector = [cmd, ...args, ...collectArgs(dir)].map(shellQuote).join(" ");
  const reportPath = join(dir, "report.json");
  // Writing starts once the collector has saved its first state (its first scan): a collector that
  // takes seconds to start on a loaded machine would otherwise find app.log.2 compressed already.
  const result = await runCli(["chaos", "--dir", join(dir, "logs"), "--report", reportPath, "--run", collector, "--wait-for", join(dir, "state"), ...flags], { cwd: dir, timeoutMs: o.timeoutMs });
  if (!existsSync(reportPath)) throw new Error(`chaos wrote no report (exit ${result.code}):\n${result.stderr.slice(-3000)}`);
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as ChaosReport;
  const output = join(dir, "out/collected.jsonl");
  const check = () => verifyDelivery([output], { id: report.generator, count: report.emitted, atRisk: report.chaos.atRisk });
  const before = await check();
  let caughtUp = 0;
  let after = before;
  if (before.lostCount > 0) {
    const late = startCliOn(runtime, collectArgs(dir), { cwd: dir, timeoutMs: o.catchUpMs + 30_000 });
    try {
      await waitFor(async () => (after = await check()).lostCount === 0, { timeoutMs: o.catchUpMs, intervalMs: 200, what: "the catch-up collector to deliver every line" }).catch(() => {});
    } finally {
      signal(late.child, "SIGTERM");
      await late.done;
    }
    after = await check();
    caughtUp = before.lostCount - after.lostCount;
  }
  return { report, delivery: after, kills: report.chaos.log.filter((e) => e.kind === "kill" && e.pid !== undefined).length, stderr: result.stderr, code: result.code, caughtUp, collector: runtime };
}
