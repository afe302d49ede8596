/**
 * `logsim chaos`: writes generated lines into a log file while doing to it what
 * a collector must survive (rotation, copytruncate, truncation, deletion,
 * compression, symlink swaps, a folder moved away and back, slow writes that
 * pause mid-line, lines without a newline) and, optionally, kill -9 of the
 * collector. It is a command of its own rather than `generate --chaos`: it
 * writes every byte itself, to place each event between two given lines and to
 * know which lines every file holds, which generate's pipeline sink does not
 * offer. See docs/chaos.md.
 */
import { err, ok } from "neverthrow";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { systemClock } from "../../core/clock.ts";
import type { LogsimError } from "../../core/errors.ts";
import type { Command } from "./command.ts";
import { runDriver } from "./chaos/driver.ts";
import { createEventLog } from "./chaos/event-log.ts";
import { generatedLines } from "./chaos/lines.ts";
import { chaosOptions, chaosRun } from "./chaos/options.ts";
import { chaosReport, formatAtRisk } from "./chaos/report.ts";
import { planEvents } from "./chaos/schedule.ts";
import { formatCount } from "./format-numbers.ts";
import { untilSignal } from "./run.ts";

export const chaosCommand: Command = {
  name: "chaos",
  summary: "Write generated lines into a log file while rotating, truncating, compressing, moving it and killing the collector; report what was done",
  details: [
    "Examples:",
    "  logsim chaos --dir logs --rate 2000 --duration 60s --events rotate=5,copytruncate=2,gzip=1,slow-write=3 --seed 7 --report chaos.json \\",
    "    --run \"logsim collect -i 'logs/app.log' -i 'logs/app.log.[0-9]*' -x '*.gz' -o out/collected.jsonl\" --events rotate=5,kill=2/min",
    "  logsim verify --expected chaos.json --actual out/collected.jsonl",
    "",
    "Every event is printed on stderr with its time and the last line written (12:00:01.234 rotate app.log -> app.log.1 ... at seq 5120),",
    "and written as JSON lines to --log. The same --seed gives the same lines and the same events at the same lines.",
  ].join("\n"),
  options: chaosOptions,
  async run({ values }, { runtime }) {
    const parsed = chaosRun(values, runtime.cwd(), Math.floor(Math.random() * 2 ** 31));
    if (parsed.isErr()) return err<number, LogsimError>({ kind: "cli.usage", message: parsed.error.join("\n") });
    const run = parsed.value;
    const stderr = (line: string) => void runtime.stderr.write(`${line}\n`);
    let log;
    try {
      mkdirSync(run.dir, { recursive: true });
      log = createEventLog(run.log, run.quiet ? undefined : stderr);
    } catch (e) {
      return err<number, LogsimError>({ kind: "input.invalid", message: `Cannot write in ${run.dir} or ${run.log}: ${(e as Error).message}` });
    }
    const plan = planEvents({ seed: run.seed, mix: run.mix, everyMs: run.everyMs, rate: run.rate, count: run.count, maxPauseMs: run.maxPauseMs, holdMs: run.holdMs });
    stderr(`logsim chaos: ${formatCount(run.count)} lines at ${run.rate}/s into ${run.path}, ${plan.length} events planned (${run.mixText}), seed ${run.seed}`);
    const stop = new AbortController();
    const signals = untilSignal(runtime, () => runtime.exit(130));
    void signals.promise.then(() => stop.abort());
    try {
      const lines = generatedLines({ id: run.id, seed: run.seed, count: run.count, format: run.format, runtime });
      const result = await runDriver(
        { path: run.path, generations: run.generations, rate: run.rate, plan, copytruncateGap: run.copytruncateGap, victim: run.victim, settleMs: run.settleMs, minUpMs: run.minUpMs, holdMs: run.holdMs, waitFor: run.waitFor, stopGraceMs: 10_000 },
        { clock: systemClock, lines, log, signal: stop.signal },
      );
      if (run.report) {
        mkdirSync(dirname(run.report), { recursive: true });
        writeFileSync(run.report, `${JSON.stringify(chaosReport(run, result, log.events), null, 2)}\n`);
      }
      stderr(`logsim chaos: ${formatCount(result.written)} lines (seqs 1-${result.written} of generator ${run.id}) in ${(result.elapsedMs / 1000).toFixed(2)} s; ${log.events.length} events in ${run.log}${run.report ? `; report in ${run.report}` : ""}`);
      stderr(`logsim chaos: ${formatAtRisk(result.atRisk)}`);
      if (result.crashes > 0) stderr(`logsim chaos: the collector exited by itself ${result.crashes} time${result.crashes === 1 ? "" : "s"} (see "crashed" in ${run.log})`);
      return ok(stop.signal.aborted ? 130 : 0);
    } catch (e) {
      return err<number, LogsimError>({ kind: "input.invalid", message: `chaos stopped: ${(e as Error).message}` });
    } finally {
      signals.dispose();
    }
  },
};
