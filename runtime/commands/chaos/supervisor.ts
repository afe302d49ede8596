/**
 * The collector under chaos: kill -9 at the planned moments, started again after
 * `holdMs` (with `--run`), left alone while it is down or still starting
 * (`minUpMs`), and an exit of its own recorded as `crashed` and followed by a
 * restart, so the run goes on and the finding is in the event log.
 */
import type { ChaosEvent } from "./event-log.ts";
import { controlVictim, type Controlled, type Victim } from "./process-control.ts";

export interface SupervisorDeps {
  /** Monotonic ms since the run started. */
  elapsed: () => number;
  record: (kind: ChaosEvent["kind"], detail: string, pid?: number) => void;
  /** Runs `run` once `atMs` has passed (the driver's pending actions). */
  later: (atMs: number, run: () => void) => void;
  holdMs: number;
  minUpMs: number;
  env?: NodeJS.ProcessEnv;
}

export class Supervisor {
  readonly #victim: Controlled;
  readonly #d: SupervisorDeps;
  /** When a --run collector was last started; undefined while it is down. */
  #upSince: number | undefined;
  #stopping = false;
  /** Times the --run collector exited by itself. */
  crashes = 0;

  constructor(victim: Victim, deps: SupervisorDeps) {
    this.#d = deps;
    this.#victim = controlVictim(victim, deps.env, (pid, how) => this.#crashed(pid, how));
    this.#upSince = this.#victim.restarts ? 0 : undefined;
  }

  get pid(): number | undefined {
    return this.#victim.pid;
  }

  /** The kill event. */
  kill(): void {
    const { elapsed, record, minUpMs } = this.#d;
    const up = this.#upSince;
    // A --run collector that is down, or was started again less than minUpMs ago, is left alone:
    // a kill then would test its start-up, again and again, and not what it does with a backlog.
    if (this.#victim.restarts && (up === undefined || elapsed() - up < minUpMs)) {
      return record("kill", `skipped: the collector ${up === undefined ? "is down" : `has run ${Math.round(elapsed() - up)} ms, less than ${minUpMs} ms`}`);
    }
    const killed = this.#victim.kill();
    if ("problem" in killed) return record("kill", killed.problem);
    record("kill", `kill -9 collector pid ${killed.pid}`, killed.pid);
    this.#upSince = undefined;
    if (this.#victim.restarts) this.#restartLater();
  }

  /** With --run: SIGTERM (SIGKILL after `graceMs`), recorded as `exited`. A collector chaos did not start is left running. */
  async stop(graceMs: number): Promise<void> {
    if (!this.#victim.restarts) return;
    this.#stopping = true;
    const how = await this.#victim.stop(graceMs);
    this.#d.record("exited", `collector stopped with SIGTERM: exit ${how}`);
  }

  #restartLater(): void {
    const { elapsed, record, later, holdMs } = this.#d;
    later(elapsed() + holdMs, () => {
      if (this.#stopping) return;
      const pid = this.#victim.restart();
      this.#upSince = elapsed();
      record("restart", `collector started again, pid ${pid}`, pid);
    });
  }

  #crashed(pid: number, how: string): void {
    if (this.#stopping) return;
    this.crashes++;
    this.#upSince = undefined;
    this.#d.record("crashed", `collector pid ${pid} exited by itself (${how}); starting it again`, pid);
    this.#restartLater();
  }
}
