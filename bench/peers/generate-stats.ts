/** The numbers bench/peers/generate.ts reports, from the runs of each subject (one per round, in round order). */

/** One whole-process run of a subject. */
export interface Run {
  /** Wall time from spawn to exit. */
  seconds: number;
  /** User + system CPU seconds (NaN without /usr/bin/time). */
  cpuSeconds: number;
  /** Peak resident set (NaN without /usr/bin/time). */
  rssMiB: number;
  /** Newline bytes across the subject's files. */
  lines: number;
  bytes: number;
  files: number;
}

/** A subject's medians over the rounds. */
export interface Summary {
  name: string;
  eventsPerSecond: number;
  mibPerSecond: number;
  cpuSeconds: number;
  rssMiB: number;
  /** Median over rounds of (this subject's events/s / the loop's on the same runtime, in that round). */
  xOwnLoop: number;
  /** The same against the hand-written loop on Node. */
  xNodeLoop: number;
  /** Median over rounds of (the same-runtime loop's CPU seconds / this subject's): less swayed by a loaded machine than wall time. */
  xOwnLoopCpu: number;
  linesOk: boolean;
  /** Line counts that were not the events asked for (one per round that missed). */
  badLines: number[];
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Ratios per round, then medians: a round's subjects ran back to back, so they shared that round's load. */
export function summarise(subjects: readonly { name: string; runtime: string; kind: string }[], runs: ReadonlyMap<string, readonly Run[]>, events: number): Summary[] {
  const loopOf = (runtime: string) => runs.get(subjects.find((s) => s.kind === "loop" && s.runtime === runtime)?.name ?? "") ?? [];
  const nodeLoop = loopOf("node");
  return subjects.map((s) => {
    const own = runs.get(s.name) ?? [];
    const ratios = (reference: readonly Run[], of: (r: Run) => number = (r) => r.seconds) => median(own.map((r, i) => (reference[i] ? of(reference[i]!) / of(r) : NaN)));
    return {
      name: s.name,
      eventsPerSecond: median(own.map((r) => events / r.seconds)),
      mibPerSecond: median(own.map((r) => r.bytes / 1048576 / r.seconds)),
      cpuSeconds: median(own.map((r) => r.cpuSeconds)),
      rssMiB: median(own.map((r) => r.rssMiB)),
      xOwnLoop: ratios(loopOf(s.runtime)),
      xNodeLoop: ratios(nodeLoop),
      xOwnLoopCpu: ratios(loopOf(s.runtime), (r) => r.cpuSeconds),
      linesOk: own.length > 0 && own.every((r) => r.lines === events),
      badLines: own.filter((r) => r.lines !== events).map((r) => r.lines),
    };
  });
}
