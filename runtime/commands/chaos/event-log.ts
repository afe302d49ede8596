/**
 * What chaos did, for people and for `verify`: each event as a timestamped line
 * (`12:00:01.234 rotate app.log -> app.log.1 (keeps 3 generations) at seq 5120`) and as
 * one JSON object per line in a file, with the seqs it put at risk, so that a
 * loss `verify` finds can be traced to the event that caused it.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { AtRisk } from "./log-files.ts";
import type { EventKind } from "./schedule.ts";

/** One entry of the event log (and of the report's `events`). */
export interface ChaosEvent {
  /** Wall-clock time, ISO 8601 UTC. */
  time: string;
  /** Milliseconds since chaos started (monotonic). */
  elapsedMs: number;
  /** The event, or its second half (`copytruncate-done`, `move-dir-back`, `restart`), or `start`/`end`. */
  kind: EventKind | "copytruncate-done" | "move-dir-back" | "restart" | "crashed" | "start" | "ready" | "end" | "exited";
  /** The last line written when it happened (0 before the first). */
  seq: number;
  detail: string;
  /** kill: the pid killed (absent when the kill was skipped or failed); restart: the new pid. */
  pid?: number;
  atRisk?: AtRisk[];
}

/** `12:00:01.234` in UTC. */
export const clockText = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

export function formatEvent(e: ChaosEvent): string {
  return `${e.time.slice(11, 23)} ${e.kind} ${e.detail}${e.seq > 0 ? ` at seq ${e.seq}` : ""}`;
}

export interface EventLog {
  record(e: ChaosEvent): void;
  readonly events: readonly ChaosEvent[];
}

/**
 * Keeps every event (the report lists them) and writes each at once to `file` as JSONL (so a
 * run that is killed still leaves what it did) and to `print` as a line.
 */
export function createEventLog(file: string | undefined, print: ((line: string) => void) | undefined): EventLog {
  const events: ChaosEvent[] = [];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, "");
  }
  return {
    events,
    record(e) {
      events.push(e);
      if (file) appendFileSync(file, `${JSON.stringify(e)}\n`);
      print?.(formatEvent(e));
    },
  };
}
