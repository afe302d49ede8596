/**
 * The event scheduler. Flows wait in a min-heap by their next wake time
 * (simulated ms). For each event slot at time t it steps the earliest flow
 * that is due; if none is, it starts a new flow (up to `concurrency`), and at
 * the cap it pulls the earliest flow forward. So flows interleave with think
 * time as in real traffic, every slot yields exactly one event, and memory is
 * bounded whatever the rate.
 */
import { ApiFlow } from "./api-flow.ts";
import type { Flow } from "./flow.ts";
import { Incidents } from "./incidents.ts";
import { JobFlow } from "./job-flow.ts";
import { Random, Weighted } from "./random.ts";
import { SessionFlow } from "./session-flow.ts";
import { World, type Draft, type Tuning } from "./world.ts";

export type FlowKind = "session" | "api" | "job";

export interface SimulationOptions extends Tuning {
  seed: number | string;
  concurrency: number;
  mix: Record<FlowKind, number>;
}

const FLOWS: Record<FlowKind, new (w: World) => Flow> = { session: SessionFlow, api: ApiFlow, job: JobFlow };

export class Simulation {
  readonly world: World;
  readonly #incidents: Incidents;
  readonly #mix: Weighted<FlowKind>;
  readonly #concurrency: number;
  readonly #heap: Flow[] = [];

  constructor(options: SimulationOptions) {
    this.world = new World(new Random(options.seed, "content"), options);
    this.#incidents = new Incidents(this.world, new Random(options.seed, "incidents"));
    this.#mix = new Weighted(Object.entries(options.mix) as Array<[FlowKind, number]>);
    this.#concurrency = options.concurrency;
  }

  /** Active flows (for tests and stats). */
  get active(): number {
    return this.#heap.length;
  }

  /** Produces the event for simulated time `t` (non-decreasing between calls). */
  next(t: number, fields: Record<string, unknown>, draft: Draft): void {
    this.#incidents.advance(t);
    if (this.#incidents.emit(fields, draft)) return;
    const heap = this.#heap;
    let flow: Flow;
    if (heap.length > 0 && (heap[0]!.wakeAt <= t || heap.length >= this.#concurrency)) flow = this.#pop();
    else flow = new FLOWS[this.#mix.pick(this.world.random)](this.world);
    if (!flow.step(t, fields, draft)) this.#push(flow);
  }

  #push(flow: Flow): void {
    const heap = this.#heap;
    let i = heap.push(flow) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.wakeAt <= flow.wakeAt) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = flow;
  }

  #pop(): Flow {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && heap[r]!.wakeAt < heap[l]!.wakeAt ? r : l;
      if (heap[c]!.wakeAt >= last.wakeAt) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
    return top;
  }
}
