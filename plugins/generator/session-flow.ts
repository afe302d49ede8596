/**
 * A user's shopping session: login -> browse -> search -> view item -> add to
 * cart -> checkout -> payment (with retries) -> logout, with think time
 * between steps and abandonment at any step (the token then expires).
 * The token is issued by the successful login and is never used after the
 * logout or expiry event, which ends the flow.
 */
import type { Flow } from "./flow.ts";
import type { Draft, World } from "./world.ts";

const STEPS = ["login", "browse", "search", "view", "add", "checkout", "payment", "order", "give-up", "logout", "expire"] as const;
type Step = (typeof STEPS)[number];

const QUERIES = ["running shoes", "usb-c cable", "coffee grinder", "desk lamp", "rain jacket", "headphones", "yoga mat", "backpack"];
const MAX_LOGIN_TRIES = 3;
const MAX_PAYMENT_TRIES = 3;

export class SessionFlow implements Flow {
  wakeAt = 0;
  readonly #w: World;
  readonly #user: string;
  readonly #ip: string;
  readonly #agent: string;
  #token = "";
  #plan: Step[] = ["login"];
  #loginTries = 0;
  #paymentTries = 0;
  #cart = 0;
  #amount = 0;
  #item = "";

  constructor(world: World) {
    this.#w = world;
    this.#user = world.userId();
    this.#ip = world.ip();
    this.#agent = world.userAgent();
  }

  step(t: number, f: Record<string, unknown>, d: Draft): boolean {
    const w = this.#w;
    const step = this.#plan.shift()!;
    f.event = EVENT_NAMES[step];
    f.flow = "session";
    f.user_id = this.#user;
    if (this.#token) f.session_token = this.#token;
    f.request_id = w.requestId();
    f.trace_id = w.traceId();
    f.ip = this.#ip;
    f.user_agent = this.#agent;
    d.level = "INFO";
    DISPATCH[step](this, w, t, f, d);
    // Every step but the expiry answers a request: its response has a size, as an access log shows.
    if (typeof f.status === "number") f.bytes = f.status >= 400 ? w.random.int(60, 400) : w.random.int(400, 32000);
    if (this.#plan.length === 0) return true;
    const next = this.#plan[0]!;
    // Abandonment: the user leaves; the token expires after the idle timeout.
    if (this.#token && next !== "logout" && next !== "expire" && next !== "give-up" && w.random.chance(w.tuning.abandonRate)) this.#plan = ["expire"];
    this.wakeAt = t + w.random.exponential(this.#plan[0] === "expire" ? w.tuning.thinkTimeMs * 4 : w.tuning.thinkTimeMs);
    return false;
  }

  login(w: World, t: number, f: Record<string, unknown>, d: Draft): void {
    d.service = w.service("auth");
    http(f, "POST", "/login", w.latency(40));
    this.#loginTries++;
    if (w.random.chance(0.06)) {
      d.level = "WARN";
      d.message = "Login failed: invalid credentials";
      f.status = 401;
      f.attempt = this.#loginTries;
      if (this.#loginTries < MAX_LOGIN_TRIES) this.#plan = ["login"];
      return;
    }
    this.#token = w.token();
    f.session_token = this.#token;
    d.message = "User logged in";
    f.status = 200;
    this.#plan = planSession(w);
  }

  browse(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    const page = w.random.int(1, 5);
    d.service = w.service("web");
    d.message = "Browsed product list";
    http(f, "GET", `/products?page=${page}`, w.latency(25), 200);
    f.page = page;
  }

  search(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    const query = w.random.pick(QUERIES);
    const results = w.random.chance(0.1) ? 0 : w.random.int(1, 120);
    d.service = w.service("search");
    d.message = results === 0 ? "Search returned no results" : "Search completed";
    http(f, "GET", `/search?q=${encodeURIComponent(query)}`, w.latency(60), 200);
    f.query = query;
    f.results = results;
  }

  view(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    this.#item = `sku-${w.random.int(10000, 99999)}`;
    d.service = w.service("catalog");
    d.message = "Viewed item";
    http(f, "GET", `/products/${this.#item}`, w.latency(30), 200);
    f.item_id = this.#item;
    f.price = Math.round(w.random.float(3, 250) * 100) / 100;
    this.#amount = f.price as number;
  }

  add(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    const quantity = w.random.int(1, 3);
    this.#cart += quantity;
    d.service = w.service("cart");
    d.message = "Item added to cart";
    http(f, "POST", "/cart/items", w.latency(35), 201);
    f.item_id = this.#item || `sku-${w.random.int(10000, 99999)}`;
    f.quantity = quantity;
    f.cart_size = this.#cart;
  }

  checkout(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    this.#amount = Math.round((this.#amount || 20) * this.#cart * 100) / 100;
    d.service = w.service("checkout");
    d.message = "Checkout started";
    http(f, "POST", "/checkout", w.latency(50), 200);
    f.cart_size = this.#cart;
    f.amount = this.#amount;
  }

  payment(w: World, t: number, f: Record<string, unknown>, d: Draft): void {
    this.#paymentTries++;
    d.service = w.service("payment");
    const incident = w.inIncident(t);
    http(f, "POST", "/payments", w.latency(180, t, true));
    f.amount = this.#amount;
    f.attempt = this.#paymentTries;
    if (w.random.chance(w.paymentErrorRate(t))) {
      w.paymentFailures++;
      d.level = "ERROR";
      d.message = incident ? "Payment failed: gateway timeout" : "Payment failed: gateway error";
      f.status = incident ? 504 : 502;
      this.#plan = this.#paymentTries < MAX_PAYMENT_TRIES ? ["payment", ...this.#plan] : ["give-up", "logout"];
      return;
    }
    w.paymentFailures = 0;
    d.message = "Payment authorized";
    f.status = 200;
  }

  order(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    d.service = w.service("checkout");
    d.message = "Order placed";
    http(f, "POST", "/orders", w.latency(45), 201);
    f.order_id = `o-${w.random.hex(10)}`;
    f.amount = this.#amount;
  }

  giveUp(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    d.service = w.service("checkout");
    d.level = "WARN";
    d.message = "Checkout abandoned after payment failures";
    http(f, "POST", "/checkout/cancel", w.latency(20), 200);
    f.attempts = this.#paymentTries;
  }

  logout(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    d.service = w.service("auth");
    d.message = "User logged out";
    http(f, "POST", "/logout", w.latency(15), 200);
    this.#plan = [];
  }

  expire(w: World, _t: number, f: Record<string, unknown>, d: Draft): void {
    d.service = w.service("auth");
    d.message = "Session expired after inactivity";
    delete f.request_id;
    delete f.ip;
    delete f.user_agent;
    this.#plan = [];
  }
}

type StepFn = (flow: SessionFlow, w: World, t: number, f: Record<string, unknown>, d: Draft) => void;

/** Each step's event name, built once: a name concatenated per event is a rope that serialising must flatten again. */
const EVENT_NAMES = Object.fromEntries(STEPS.map((step) => [step, `session.${step}`])) as Record<Step, string>;

// Arguments passed one by one: a rest parameter would allocate an array per event.
const DISPATCH: Record<Step, StepFn> = {
  login: (s, w, t, f, d) => s.login(w, t, f, d),
  browse: (s, w, t, f, d) => s.browse(w, t, f, d),
  search: (s, w, t, f, d) => s.search(w, t, f, d),
  view: (s, w, t, f, d) => s.view(w, t, f, d),
  add: (s, w, t, f, d) => s.add(w, t, f, d),
  checkout: (s, w, t, f, d) => s.checkout(w, t, f, d),
  payment: (s, w, t, f, d) => s.payment(w, t, f, d),
  order: (s, w, t, f, d) => s.order(w, t, f, d),
  "give-up": (s, w, t, f, d) => s.giveUp(w, t, f, d),
  logout: (s, w, t, f, d) => s.logout(w, t, f, d),
  expire: (s, w, t, f, d) => s.expire(w, t, f, d),
};

function http(f: Record<string, unknown>, method: string, path: string, latency: number, status?: number): void {
  f.method = method;
  f.path = path;
  if (status !== undefined) f.status = status;
  f.latency_ms = latency;
}

/** The steps after a successful login: a few browses, searches and views; most buy, some only look. */
function planSession(w: World): Step[] {
  const r = w.random;
  const plan: Step[] = [];
  for (let i = r.int(1, 3); i > 0; i--) plan.push("browse");
  for (let i = r.int(0, 2); i > 0; i--) plan.push("search", "view");
  plan.push("view");
  if (r.chance(0.6)) {
    for (let i = r.int(1, 2); i > 0; i--) plan.push("add");
    plan.push("checkout", "payment", "order");
  }
  plan.push("logout");
  return plan;
}
