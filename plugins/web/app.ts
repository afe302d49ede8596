/**
 * The web interface's HTTP routes, as a Hono app: testable with
 * `app.request()` and served by whichever runtime runs logsim.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import type { AppView, Clock } from "../../core/mod.ts";
import { escapeHtml, type Assets } from "./assets.ts";
import { compileFilter, type FilterError, type FilterQuery } from "./filter.ts";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";
import type { WebOptions } from "./schema.ts";
import { countServices } from "./services.ts";
import { entryToJson, recordStream, type OpenStream } from "./sse.ts";
import type { Telemetry } from "./telemetry.ts";

export interface WebAppDeps {
  options: WebOptions;
  app: AppView;
  telemetry: Telemetry;
  assets: Assets;
  clock: Clock;
  /** Aborted when the service stops: ends every stream. */
  signal: AbortSignal;
  /** Stream ticks (ms); tests shorten them. */
  tickMs?: number;
  pingMs?: number;
}

export interface WebApp {
  readonly hono: Hono;
  /** Open streams, for the idle sweeper. */
  readonly streams: Set<OpenStream>;
}

const COOKIE = "logsim_token";

/** Compares without an early exit, so response time says nothing about how much of a guess was right. */
function sameToken(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(1, a.length)) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}

function auth(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === "/healthz") return next();
    const header = c.req.header("authorization");
    const given = header?.startsWith("Bearer ") ? header.slice(7) : (c.req.query("token") ?? getCookie(c, COOKIE));
    if (given === undefined || !sameToken(given, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="logsim"');
      return c.json({ error: "unauthorized", message: "This logsim web interface needs a token: Authorization: Bearer <token>, or open /?token=<token> once" }, 401);
    }
    // A token in the page URL becomes a cookie, and the URL loses it (not left in history or the address bar);
    // the rest of the query (a shared view's filters) is kept.
    if (c.req.path === "/" && c.req.query("token") !== undefined) {
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      const rest = new URL(c.req.url).searchParams;
      rest.delete("token");
      const query = rest.toString();
      return c.redirect(query ? `/?${query}` : "/", 303);
    }
    return next();
  };
}

/** A Host header as RFC 9110 allows it: a DNS name, an IPv4 address or a bracketed IPv6 address, and an optional port. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i;

/**
 * The name in a Host header, lowercased and without its port: "" when the header
 * is missing or empty, undefined when it is malformed (`a b`, `evil#@127.0.0.1`).
 * Read from the header, not the request URL: runtimes build that URL differently
 * (or not at all) from such a header, and put their own name in when it is missing.
 */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return "";
  const match = HOST.exec(header);
  if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) return undefined;
  return match[1]!.toLowerCase();
}

/** A malformed Host is a bad request (400), whatever the route, the token or the runtime. */
const wellFormedHost: MiddlewareHandler = async (c, next) => {
  if (hostName(c.req.header("host")) === undefined) return c.json({ error: "bad-request", message: "Malformed Host header" }, 400);
  return next();
};

/**
 * Without a token, the interface trusts that only this machine can reach it. DNS
 * rebinding breaks that: a page on attacker.example, re-pointed at 127.0.0.1,
 * reaches the server as same-origin. Such requests carry the attacker's name in
 * Host, so only loopback names (and the configured host) are answered; a request
 * without a Host (HTTP/1.0) is treated like a foreign name.
 */
function loopbackHostOnly(configured: string): MiddlewareHandler {
  const allowed = new Set(["localhost", "127.0.0.1", "[::1]", configured.toLowerCase()]);
  return async (c, next) => {
    const host = hostName(c.req.header("host")) ?? "";
    if (allowed.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return next();
    const message = host ? `Host "${host}" is not this machine's loopback name; set a token to serve other names` : "A request without a Host header names no loopback host; set a token to serve such requests";
    return c.json({ error: "forbidden", message }, 403);
  };
}

const filterQuery = (c: Context): FilterQuery => ({
  level: c.req.query("level") || undefined,
  tag: c.req.query("tag") || undefined,
  service: c.req.query("service") || undefined,
  pipeline: c.req.query("pipeline") || undefined,
  q: c.req.query("q") || undefined,
  re: c.req.query("re") || undefined,
});

/** A refused filter: 400 with the parameter at fault, so the page can mark that input. */
const badFilter = (c: Context, error: FilterError) => c.json({ error: "bad-request", param: error.param, message: error.message }, 400);

/** A non-negative integer query parameter, or undefined when absent; NaN when malformed. */
function intParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

export function createWebApp(deps: WebAppDeps): WebApp {
  const { options, telemetry, assets, clock } = deps;
  const streams = new Set<OpenStream>();
  const hono = new Hono();

  hono.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: "DENY",
    }),
  );
  hono.use(wellFormedHost);
  if (options.token !== undefined) hono.use(auth(options.token));
  else hono.use(loopbackHostOnly(options.host));
  hono.use("/api/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  const index = assets.get("index.html")!.body.replaceAll("{{title}}", escapeHtml(options.title));
  hono.get("/", (c) => c.html(index));
  hono.get("/favicon.ico", (c) => c.body(null, 204));
  for (const [name, asset] of assets) {
    if (name === "index.html") continue;
    hono.get(`/assets/${name}`, (c) => c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "no-cache" }));
  }

  hono.get("/healthz", (c) => {
    const pipelines = deps.app.pipelines().map((p) => ({ name: p.name, state: p.state }));
    const failed = pipelines.some((p) => p.state === "failed");
    return c.json({ status: failed ? "failed" : "ok", pipelines }, failed ? 503 : 200);
  });

  hono.get("/api/config", (c) => c.json(deps.app.config() as object));
  hono.get("/api/metrics", (c) => c.json(telemetry.snapshot()));
  hono.get("/metrics", (c) => c.body(formatPrometheus(telemetry.snapshot()), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }));

  hono.get("/api/logs", (c) => {
    const limit = intParam(c, "limit") ?? 50;
    if (Number.isNaN(limit) || limit < 1) return c.json({ error: "bad-request", message: "limit must be a positive integer" }, 400);
    const filter = compileFilter(filterQuery(c));
    if (filter.isErr()) return badFilter(c, filter.error);
    const read = telemetry.ring.read(0, filter.value, Math.min(limit, options.maxLimit));
    return c.json({ records: read.entries.map(entryToJson), next: read.next, limit: Math.min(limit, options.maxLimit), partial: read.partial });
  });

  hono.get("/api/services", (c) => {
    const limit = intParam(c, "limit") ?? 100;
    if (Number.isNaN(limit) || limit < 1) return c.json({ error: "bad-request", message: "limit must be a positive integer" }, 400);
    return c.json(countServices(telemetry.ring, Math.min(limit, options.maxLimit)));
  });

  hono.get("/api/stream", (c) => {
    const filter = compileFilter(filterQuery(c));
    if (filter.isErr()) return badFilter(c, filter.error);
    // EventSource reconnects with Last-Event-ID (the seq of the last record sent): resume after it.
    const lastId = c.req.header("last-event-id");
    const from = lastId && /^\d{1,15}$/.test(lastId) ? Number(lastId) + 1 : intParam(c, "from");
    if (Number.isNaN(from)) return c.json({ error: "bad-request", message: "from must be a sequence number" }, 400);
    if (streams.size >= options.maxStreams) {
      return c.json({ error: "too-many-streams", message: `At most ${options.maxStreams} live streams at once` }, 503, { "Retry-After": "5" });
    }
    const abort = new AbortController();
    const stop = () => abort.abort();
    deps.signal.addEventListener("abort", stop, { once: true });
    c.req.raw.signal?.addEventListener("abort", stop, { once: true });
    telemetry.streams++;
    const { body, stream } = recordStream({
      telemetry,
      filter: filter.value,
      clock,
      from,
      maxPerSecond: options.streamRate,
      tickMs: deps.tickMs,
      pingMs: deps.pingMs,
      signal: abort.signal,
      onClose: () => {
        streams.delete(stream);
        telemetry.streams--;
        deps.signal.removeEventListener("abort", stop);
      },
    });
    streams.add(stream);
    return c.body(body, 200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
  });

  hono.notFound((c) => c.json({ error: "not-found", message: `No route ${c.req.method} ${c.req.path}` }, 404));
  hono.onError((error, c) => c.json({ error: "internal", message: error instanceof Error ? error.message : String(error) }, 500));
  return { hono, streams };
}
