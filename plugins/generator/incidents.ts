/**
 * Error cascades: once per simulated second, with a small probability, the
 * payment gateway starts failing for a while (raising payment error rates and
 * latencies, which surface as ERRORs in sessions and API responses), then
 * recovers. The start and the recovery are events of their own.
 */
import type { Random } from "./random.ts";
import type { Draft, World } from "./world.ts";

export class Incidents {
  readonly #w: World;
  readonly #random: Random;
  #second = -1;
  #count = 0;
  #startedAt = 0;
  /** Transitions waiting to be emitted, in order. */
  #pending: Array<"started" | "resolved"> = [];
  #open = false;

  /** `random` is a stream of its own, so incidents do not shift with the content. */
  constructor(world: World, random: Random) {
    this.#w = world;
    this.#random = random;
  }

  /** Evaluates every whole second up to `t`; queues the transitions that happened. */
  advance(t: number): void {
    const { probability, minMs, maxMs } = this.#w.tuning.incidents;
    if (this.#open && t >= this.#w.incidentUntil) {
      this.#open = false;
      this.#pending.push("resolved");
    }
    if (probability <= 0) return;
    const second = Math.floor(t / 1000);
    for (; this.#second < second; ) {
      this.#second++;
      if (this.#open || !this.#random.chance(probability)) continue;
      this.#open = true;
      this.#count++;
      this.#startedAt = Math.max(this.#second * 1000, 0);
      this.#w.incidentUntil = this.#startedAt + this.#random.float(minMs, maxMs);
      this.#pending.push("started");
      if (t >= this.#w.incidentUntil) {
        this.#open = false;
        this.#pending.push("resolved");
      }
    }
  }

  /** Emits the next queued transition into `fields`/`draft`; false when there is none. */
  emit(f: Record<string, unknown>, d: Draft): boolean {
    const next = this.#pending.shift();
    if (!next) return false;
    f.event = `incident.${next}`;
    f.flow = "incident";
    f.incident_id = `inc-${this.#count}`;
    f.dependency = "payment-gateway";
    d.service = this.#w.service("payment");
    if (next === "started") {
      d.level = "WARN";
      d.message = "Payment gateway degraded: timeouts and errors rising";
    } else {
      d.level = "INFO";
      d.message = "Payment gateway recovered";
      f.duration_ms = Math.round(this.#w.incidentUntil - this.#startedAt);
    }
    return true;
  }
}
