/** The shape every flow has: it wakes at a simulated time and produces exactly one event per step. */
import type { Draft } from "./world.ts";

export interface Flow {
  /** Simulated ms at which the next step is due. */
  wakeAt: number;
  /** Fills `fields` and `draft` for one event at simulated time `t`; returns true when the flow has ended. */
  step(t: number, fields: Record<string, unknown>, draft: Draft): boolean;
}

/**
 * Whether an event's fields are an HTTP request answered to a client, a line of an access log:
 * a method, a path, a status and the client's ip. A request received (no status yet), a
 * gateway's call downstream (no client), a job, an incident or a session's expiry is not.
 */
export const isHttpRequest = (f: Readonly<Record<string, unknown>>): boolean =>
  typeof f.method === "string" && typeof f.path === "string" && typeof f.status === "number" && typeof f.ip === "string";
