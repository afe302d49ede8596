/** The shape every flow has: it wakes at a simulated time and produces exactly one event per step. */
import type { Draft } from "./world.ts";

export interface Flow {
  /** Simulated ms at which the next step is due. */
  wakeAt: number;
  /** Fills `fields` and `draft` for one event at simulated time `t`; returns true when the flow has ended. */
  step(t: number, fields: Record<string, unknown>, draft: Draft): boolean;
}
