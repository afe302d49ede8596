/**
 * An API request through the gateway: request received -> downstream calls
 * (DEBUG detail, WARN when one times out) -> response with the total latency.
 * One request_id and trace_id for the whole flow; a failed downstream call
 * makes the response an ERROR.
 */
import type { Flow } from "./flow.ts";
import type { Draft, ServiceRole, World } from "./world.ts";

interface Route {
  method: string;
  path: (w: World) => string;
  downstream: ServiceRole[];
}

const ROUTES: Route[] = [
  { method: "GET", path: (w) => `/api/v1/products/sku-${w.random.int(10000, 99999)}`, downstream: ["catalog", "inventory"] },
  { method: "GET", path: (w) => `/api/v1/inventory/sku-${w.random.int(10000, 99999)}`, downstream: ["inventory"] },
  { method: "POST", path: () => "/api/v1/orders", downstream: ["cart", "inventory", "payment"] },
  { method: "GET", path: (w) => `/api/v1/orders/o-${w.random.hex(10)}`, downstream: ["checkout"] },
  { method: "POST", path: () => "/api/v1/payments/refund", downstream: ["payment"] },
];

export class ApiFlow implements Flow {
  wakeAt = 0;
  readonly #w: World;
  readonly #route: Route;
  readonly #path: string;
  readonly #user: string;
  readonly #request: string;
  readonly #trace: string;
  readonly #ip: string;
  readonly #agent: string;
  #call = -1;
  #total = 0;
  #failed = false;

  constructor(world: World) {
    this.#w = world;
    this.#route = world.random.pick(ROUTES);
    this.#path = this.#route.path(world);
    this.#user = world.userId();
    this.#request = world.requestId();
    this.#trace = world.traceId();
    this.#ip = world.ip();
    this.#agent = world.userAgent();
  }

  step(t: number, f: Record<string, unknown>, d: Draft): boolean {
    const w = this.#w;
    f.event = "api.request";
    f.flow = "api";
    f.user_id = this.#user;
    f.request_id = this.#request;
    f.trace_id = this.#trace;
    f.method = this.#route.method;
    f.path = this.#path;
    d.service = w.service("gateway");
    d.level = "INFO";
    const calls = this.#route.downstream;
    if (this.#call < 0) {
      d.message = "Request received";
      f.ip = this.#ip;
      f.user_agent = this.#agent;
      // Downstream detail lines are DEBUG: without debug, the calls happen silently before the response.
      if (w.tuning.debug) {
        this.#call = 0;
        this.wakeAt = t + 1;
      } else {
        for (const role of calls) if (!this.#failed) this.#simulateCall(role, t);
        this.#call = calls.length;
        this.wakeAt = t + this.#total;
      }
      return false;
    }
    if (this.#call < calls.length) {
      const latency = this.#downstream(calls[this.#call]!, t, f, d);
      this.#call = this.#failed ? calls.length : this.#call + 1;
      this.wakeAt = t + latency;
      return false;
    }
    this.#respond(t, f, d);
    return true;
  }

  /** Latency and outcome of one downstream call; returns whether it failed. */
  #simulateCall(role: ServiceRole, t: number): { latency: number; failed: boolean } {
    const w = this.#w;
    const slow = role === "payment";
    const latency = w.latency(slow ? 120 : 20, t, slow);
    const failed = w.random.chance(slow ? w.paymentErrorRate(t) : w.tuning.errorRate / 2);
    this.#total += latency;
    this.#failed ||= failed;
    return { latency, failed };
  }

  #downstream(role: ServiceRole, t: number, f: Record<string, unknown>, d: Draft): number {
    const { latency, failed } = this.#simulateCall(role, t);
    f.event = "api.downstream";
    f.downstream = this.#w.service(role);
    f.latency_ms = latency;
    if (failed) {
      d.level = "WARN";
      d.message = "Downstream call failed";
      f.status = role === "payment" && this.#w.inIncident(t) ? 504 : 503;
    } else {
      d.level = "DEBUG";
      d.message = "Downstream call completed";
      f.status = 200;
    }
    return latency;
  }

  #respond(t: number, f: Record<string, unknown>, d: Draft): void {
    const failed = this.#failed || this.#w.random.chance(this.#w.tuning.errorRate / 4);
    f.event = "api.response";
    // The response is the access-log line of the request: it names the client too.
    f.ip = this.#ip;
    f.user_agent = this.#agent;
    f.latency_ms = this.#total + this.#w.latency(3);
    if (failed) {
      d.level = "ERROR";
      d.message = "Request failed";
      f.status = this.#w.inIncident(t) && this.#route.downstream.includes("payment") ? 504 : 500;
    } else {
      d.message = "Request completed";
      f.status = this.#route.method === "POST" ? 201 : 200;
    }
    f.bytes = failed ? 64 : this.#w.random.int(200, 20000);
  }
}
