/**
 * A background job: started -> progress (DEBUG) -> completed, or failed ->
 * retry scheduled -> started again, up to three attempts, then dead-lettered.
 */
import type { Flow } from "./flow.ts";
import type { Draft, World } from "./world.ts";

const JOBS = [
  { name: "send_email", median: 300, user: true },
  { name: "generate_invoice", median: 1200, user: true },
  { name: "sync_inventory", median: 4000, user: false },
  { name: "reindex_search", median: 8000, user: false },
  { name: "cleanup_sessions", median: 600, user: false },
] as const;

const REASONS = ["connection reset by peer", "lock wait timeout exceeded", "upstream returned 503"];
const MAX_ATTEMPTS = 3;

const PHASES = ["start", "progress", "finish", "retry"] as const;
type Phase = (typeof PHASES)[number];
/** Each phase's event name, built once rather than concatenated per event. */
const EVENT_NAMES = Object.fromEntries(PHASES.map((phase) => [phase, `job.${phase}`])) as Record<Phase, string>;

export class JobFlow implements Flow {
  wakeAt = 0;
  readonly #w: World;
  readonly #job: (typeof JOBS)[number];
  readonly #id: string;
  readonly #trace: string;
  readonly #user: string | undefined;
  #attempt = 1;
  #phase: Phase = "start";
  #duration = 0;

  constructor(world: World) {
    this.#w = world;
    this.#job = world.random.pick(JOBS);
    this.#id = `j-${world.random.hex(10)}`;
    this.#trace = world.traceId();
    this.#user = this.#job.user ? world.userId() : undefined;
  }

  step(t: number, f: Record<string, unknown>, d: Draft): boolean {
    const w = this.#w;
    f.event = EVENT_NAMES[this.#phase];
    f.flow = "job";
    if (this.#user) f.user_id = this.#user;
    f.trace_id = this.#trace;
    f.job = this.#job.name;
    f.job_id = this.#id;
    f.attempt = this.#attempt;
    d.service = w.service("worker");
    d.level = "INFO";
    switch (this.#phase) {
      case "start":
        d.message = "Job started";
        this.#duration = w.latency(this.#job.median);
        this.#phase = w.tuning.debug ? "progress" : "finish";
        this.wakeAt = t + (w.tuning.debug ? this.#duration / 2 : this.#duration);
        return false;
      case "progress":
        d.level = "DEBUG";
        d.message = "Job progress";
        f.progress_pct = 50;
        this.#phase = "finish";
        this.wakeAt = t + this.#duration / 2;
        return false;
      case "finish":
        return this.#finish(t, f, d);
      case "retry":
        d.level = "WARN";
        d.message = "Job retry scheduled";
        this.#attempt++;
        this.#phase = "start";
        this.wakeAt = t + 1000 * 2 ** this.#attempt;
        return false;
    }
  }

  #finish(t: number, f: Record<string, unknown>, d: Draft): boolean {
    const w = this.#w;
    f.duration_ms = this.#duration;
    if (!w.random.chance(w.tuning.errorRate)) {
      d.message = "Job completed";
      f.items = w.random.int(1, 500);
      return true;
    }
    d.level = "ERROR";
    f.error = w.random.pick(REASONS);
    if (this.#attempt >= MAX_ATTEMPTS) {
      d.message = "Job failed permanently; moved to dead-letter queue";
      return true;
    }
    d.message = "Job failed";
    this.#phase = "retry";
    this.wakeAt = t + 5;
    return false;
  }
}
