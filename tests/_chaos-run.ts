/** Runs `logsim chaos` against `logsim collect` (started, killed and restarted by chaos) and checks delivery, for the chaos end-to-end tests. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChaosReport } from "../runtime/commands/chaos/report.ts";
import { checkDelivery, type Delivery } from "./_delivery.ts";
import { cliCommand, runCli, signal, startCli, waitFor } from "./_helpers.ts";

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

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
}

/** The collect arguments every run in `dir` uses: rotated names under the glob (as docs/collector.md advises), compressed ones not. */
export function collectArgs(dir: string): string[] {
  return ["collect", "-q", "-i", join(dir, "logs/app.log"), "-i", join(dir, "logs/app.log.[0-9]*"), "-x", join(dir, "logs/*.gz"), "--from-beginning", "-o", join(dir, "out/collected.jsonl"), "--state-dir", join(dir, "state")];
}

/**
 * Chaos with `flags` in `dir`, its collector given `settle` to catch up; then a second collector
 * (the same state) reads whatever is left, until every line is there or `catchUpMs` passes.
 */
export async function chaosAgainstCollect(dir: string, flags: string[], o: { timeoutMs: number; catchUpMs: number }): Promise<ChaosCollectRun> {
  const { cmd, args } = cliCommand();
  const collector = [cmd, ...args, ...collectArgs(dir)].map(quote).join(" ");
  const reportPath = join(dir, "report.json");
  // Writing starts once the collector has saved its first state (its first scan): a collector that
  // takes seconds to start on a loaded machine would otherwise find app.log.2 compressed already.
  const result = await runCli(["chaos", "--dir", join(dir, "logs"), "--report", reportPath, "--run", collector, "--wait-for", join(dir, "state"), ...flags], { cwd: dir, timeoutMs: o.timeoutMs });
  if (!existsSync(reportPath)) throw new Error(`chaos wrote no report (exit ${result.code}):\n${result.stderr.slice(-3000)}`);
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as ChaosReport;
  const output = join(dir, "out/collected.jsonl");
  const count = report.emitted;
  const check = () => checkDelivery([output], report.generator, count, report.chaos.atRisk);
  const before = check();
  let caughtUp = 0;
  if (before.lostCount > 0) {
    const late = startCli(collectArgs(dir), { cwd: dir, timeoutMs: o.catchUpMs + 30_000 });
    try {
      await waitFor(() => check().lostCount === 0, { timeoutMs: o.catchUpMs, what: "the catch-up collector to deliver every line" }).catch(() => {});
    } finally {
      signal(late.child, "SIGTERM");
      await late.done;
    }
    caughtUp = before.lostCount - check().lostCount;
  }
  return { report, delivery: check(), kills: report.chaos.log.filter((e) => e.kind === "kill" && e.pid !== undefined).length, stderr: result.stderr, code: result.code, caughtUp };
}
