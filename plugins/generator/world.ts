/**
 * What every flow shares: the random stream, the tuning options, the service
 * names and the state of the payment gateway (healthy or in an incident).
 */
import type { Level } from "../../core/mod.ts";
import { USER_AGENTS } from "./data.ts";
import type { Random } from "./random.ts";

/** The roles services play in the simulated shop; each can be renamed. */
export const SERVICE_ROLES = ["web", "auth", "catalog", "search", "cart", "checkout", "payment", "gateway", "inventory", "worker"] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export const DEFAULT_SERVICES: Record<ServiceRole, string> = {
  web: "web-frontend",
  auth: "auth-service",
  catalog: "catalog-service",
  search: "search-service",
  cart: "cart-service",
  checkout: "checkout-service",
  payment: "payment-service",
  gateway: "api-gateway",
  inventory: "inventory-service",
  worker: "job-worker",
};

export interface Tuning {
  users: number;
  /** Base probability that a request, payment or job fails. */
  errorRate: number;
  /** Probability that a session is abandoned at each step. */
  abandonRate: number;
  /** Mean think time between a user's steps, ms. */
  thinkTimeMs: number;
  /** Emit DEBUG detail lines (downstream calls, job progress). */
  debug: boolean;
  services: Record<ServiceRole, string>;
  incidents: { probability: number; minMs: number; maxMs: number; errorRate: number; latencyFactor: number };
}

/** One event as a flow describes it; the simulation turns it into a LogRecord. */
export interface Draft {
  level: Level;
  service: string;
  message: string;
}

export class World {
  readonly random: Random;
  readonly tuning: Tuning;
  /** Simulated ms until which the payment gateway is failing; 0 when healthy. */
  incidentUntil = 0;
  /** Consecutive payment failures, for the circuit-breaker message. */
  paymentFailures = 0;

  constructor(random: Random, tuning: Tuning) {
    this.random = random;
    this.tuning = tuning;
  }

  service(role: ServiceRole): string {
    return this.tuning.services[role];
  }

  inIncident(t: number): boolean {
    return t < this.incidentUntil;
  }

  /** The payment failure probability at time t: raised during an incident. */
  paymentErrorRate(t: number): number {
    return this.inIncident(t) ? Math.max(this.tuning.errorRate, this.tuning.incidents.errorRate) : this.tuning.errorRate;
  }

  latency(median: number, t = 0, slow = false): number {
    const factor = slow && this.inIncident(t) ? this.tuning.incidents.latencyFactor : 1;
    return Math.max(1, Math.round(this.random.logNormal(median, 0.5) * factor));
  }

  userId(): string {
    return `u-${1000 + this.random.int(0, this.tuning.users - 1)}`;
  }

  requestId(): string {
    return `r-${this.random.hex(12)}`;
  }

  traceId(): string {
    return this.random.hex(32);
  }

  token(): string {
    return this.random.hex(24);
  }

  ip(): string {
    const r = this.random;
    return `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }

  userAgent(): string {
    return this.random.pick(USER_AGENTS);
  }
}
