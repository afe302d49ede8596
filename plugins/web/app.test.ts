import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime } from "../../runtime/detect.ts";
import { harness, readEvents, rec } from "./_testing.ts";
import { Ring } from "./ring.ts";

const runtime = await detectRuntime();

test("GET /healthz is 200 with each pipeline's state, and 503 once one has failed", async () => {
  const h = harness(runtime);
  const ok = await h.request("/healthz");
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { status: "ok", pipelines: [{ name: "main", state: "running" }] });
  h.pipelines[0]!.state = "failed";
  const failed = await h.request("/healthz");
  assert.equal(failed.status, 503);
  assert.equal(((await failed.json()) as { status: string }).status, "failed");
  h.close();
});

test("GET /api/logs returns recent records newest last, limit capped, 400 on a bad limit", async () => {
  const h = harness(runtime, { maxLimit: 20 });
  h.push(Array.from({ length: 100 }, (_, i) => rec(`m${i}`)));
  const body = (await (await h.request("/api/logs")).json()) as { records: Array<{ seq: number; record: { message: string } }>; next: number; limit: number };
  assert.equal(body.records.length, 50 > 20 ? 20 : 50);
  assert.equal(body.records.at(-1)!.record.message, "m99");
  assert.equal(body.records[0]!.record.message, "m80");
  assert.equal(body.next, 101);
  const five = (await (await h.request("/api/logs?limit=5")).json()) as typeof body;
  assert.deepEqual(five.records.map((r) => r.record.message), ["m95", "m96", "m97", "m98", "m99"]);
  const capped = (await (await h.request("/api/logs?limit=100000")).json()) as typeof body;
  assert.equal(capped.records.length, 20);
  assert.equal(capped.limit, 20);
  for (const bad of ["0", "-1", "abc", "1e3"]) assert.equal((await h.request(`/api/logs?limit=${bad}`)).status, 400, bad);
  h.close();
});

test("/api/logs filters by level (at least), tag, service, pipeline, substring and safe regex", async () => {
  const h = harness(runtime);
  h.push([
    rec("user login ok", { level: "INFO", service: "auth", tags: ["audit"] }),
    rec("disk almost full", { level: "WARN", service: "storage" }),
    rec("payment failed: timeout", { level: "ERROR", service: "billing", fields: { order: "A-17" } }),
    rec("debug noise", { level: "DEBUG", service: "auth" }),
  ]);
  h.push([rec("other pipeline", { level: "FATAL" })], "collect");
  const messages = async (query: string) =>
    ((await (await h.request(`/api/logs?${query}`)).json()) as { records: Array<{ record: { message: string } }> }).records.map((r) => r.record.message);
  assert.deepEqual(await messages("level=warn"), ["disk almost full", "payment failed: timeout", "other pipeline"]);
  assert.deepEqual(await messages("level=ERROR&pipeline=main"), ["payment failed: timeout"]);
  assert.deepEqual(await messages("tag=audit"), ["user login ok"]);
  assert.deepEqual(await messages("service=auth"), ["user login ok", "debug noise"]);
  assert.deepEqual(await messages("service=BILL"), ["payment failed: timeout"], "service is a case-insensitive substring");
  assert.deepEqual(await messages("q=TIMEOUT"), ["payment failed: timeout"]);
  assert.deepEqual(await messages("q=A-17"), ["payment failed: timeout"], "q also searches field values");
  assert.deepEqual(await messages("q=.*"), [], "q is a plain substring, not a pattern");
  assert.deepEqual(await messages("re=^(user|disk) "), ["user login ok", "disk almost full"]);
  assert.equal((await h.request("/api/logs?level=loud")).status, 400);
  assert.deepEqual(await messages("re=" + encodeURIComponent("^(USER|disk) \\w+")), ["user login ok", "disk almost full"], "case-insensitive, with repetition");
  const refused = [
    ["(.)\\1", /backreferences/],
    // A query is not given to the ReDoS analysis (seconds per pattern), so lookaround is never proved safe here.
    ["(?=a)a", /lookahead/],
    ["(?<!x)y", /lookbehind/],
    ["((a)", /invalid regular expression/],
    ["x".repeat(201), /longer than 200/],
  ] as const;
  for (const [pattern, reason] of refused) {
    const response = await h.request(`/api/logs?re=${encodeURIComponent(pattern)}`);
    assert.equal(response.status, 400, pattern);
    const body = (await response.json()) as { error: string; message: string };
    assert.equal(body.error, "bad-request");
    assert.equal((body as { param?: string }).param, "re", "the page marks the regex input");
    assert.match(body.message, /^regex refused: /, pattern);
    assert.match(body.message, reason, pattern);
  }
  h.close();
});

test("service= matches a case-insensitive substring of the name; =name matches that exact name only", async () => {
  const h = harness(runtime);
  h.push([
    rec("a", { service: "payment-service" }),
    rec("b", { service: "Payments" }),
    rec("c", { service: "checkout" }),
    rec("d", { service: "payment" }),
    rec("e"),
  ]);
  const messages = async (service: string) =>
    ((await (await h.request(`/api/logs?service=${encodeURIComponent(service)}`)).json()) as { records: Array<{ record: { message: string } }> }).records.map((r) => r.record.message);
  assert.deepEqual(await messages("payment"), ["a", "b", "d"], "the first-hour case: payment finds payment-service");
  assert.deepEqual(await messages("PAYMENT-S"), ["a"]);
  assert.deepEqual(await messages("=payment"), ["d"], "exact");
  assert.deepEqual(await messages("=Payment"), [], "exact is case-sensitive");
  assert.deepEqual(await messages("nothing"), []);
  const body = (await (await h.request("/api/logs?level=loud")).json()) as { error: string; param: string; message: string };
  assert.deepEqual(body, { error: "bad-request", param: "level", message: 'unknown level "loud"' });
  h.close();
});

test("GET /api/services lists the services in the ring with counts, most first, bounded by limit", async () => {
  const h = harness(runtime, { buffer: 10 });
  h.push(Array.from({ length: 5 }, () => rec("old", { service: "evicted" })));
  h.push([
    ...Array.from({ length: 4 }, () => rec("x", { service: "payment-service" })),
    ...Array.from({ length: 2 }, () => rec("x", { service: "auth" })),
    rec("x", { service: "<b>x</b>" }),
    rec("x"),
    ...Array.from({ length: 2 }, () => rec("x", { service: "billing" })),
  ]);
  const response = await h.request("/api/services");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.deepEqual(await response.json(), {
    services: [
      { name: "payment-service", count: 4 },
      { name: "auth", count: 2 },
      { name: "billing", count: 2 },
      { name: "<b>x</b>", count: 1 },
    ],
    distinct: 4,
    unnamed: 1,
    scanned: 10,
    partial: false,
  });
  const two = (await (await h.request("/api/services?limit=2")).json()) as { services: Array<{ name: string }>; distinct: number };
  assert.deepEqual(two.services.map((s) => s.name), ["payment-service", "auth"]);
  assert.equal(two.distinct, 4, "distinct counts the names left out too");
  assert.equal((await h.request("/api/services?limit=0")).status, 400);
  h.close();
});

test("catastrophic regexes run in linear time: (a+)+$ on hostile input answers fast", async () => {
  const h = harness(runtime, { buffer: 2000 });
  // A backtracking engine needs ~2^1000 steps per record for these; they are accepted and run on re2js.
  h.push(Array.from({ length: 2000 }, () => rec(`${"a".repeat(1000)}!`)));
  h.push([rec("aaab")]);
  const expected: Record<string, string[]> = { "^(a+)+$": [], "(a|aa)*b": ["aaab"], "(x*)*y": [], "^(\\w+\\s?)*$": ["aaab"] };
  for (const [pattern, want] of Object.entries(expected)) {
    const started = performance.now();
    const response = await h.request(`/api/logs?limit=10&re=${encodeURIComponent(pattern)}`);
    const ms = performance.now() - started;
    assert.equal(response.status, 200, pattern);
    const body = (await response.json()) as { records: Array<{ record: { message: string } }> };
    assert.deepEqual(body.records.map((r) => r.record.message), want, pattern);
    assert.ok(ms < 2000, `${pattern} took ${ms.toFixed(0)} ms`);
  }
  h.close();
});

test("a pattern that compiles to a huge program is refused, and a slow scan stops at its time budget (partial)", async () => {
  const h = harness(runtime, { buffer: 2000 });
  h.push(Array.from({ length: 2000 }, () => rec("word ".repeat(1000))));
  // 14 characters, ~3,000 instructions: linear, but ~100 ms per KiB of text. Refused up front.
  const refused = await h.request(`/api/logs?limit=10&re=${encodeURIComponent("(\\w|\\s){1000}!")}`);
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { message: string }).message, /too large for linear-time matching/);
  h.close();
  // Defence in depth: whatever a filter costs, one read stops at its budget. A fake clock makes each record cost 10 ms.
  const ring = new Ring(100);
  ring.push("p", Array.from({ length: 100 }, (_, i) => rec(`r${i}`)));
  let clock = 0;
  const result = ring.read(1, () => ((clock += 10), false), 10, false, 50, () => clock);
  assert.equal(result.partial, true);
  assert.ok(clock <= 70, `the scan went on to ${clock} ms of a 50 ms budget`);
});

test("GET /api/config returns the app's config as given (already redacted by core)", async () => {
  const h = harness(runtime, {}, { services: [{ use: "web", token: "[redacted]" }] });
  assert.deepEqual(await (await h.request("/api/config")).json(), { services: [{ use: "web", token: "[redacted]" }] });
  h.close();
});

test("GET /api/metrics has counters, rates, tap, parse errors, files, generators and rotations", async () => {
  let now = Date.UTC(2026, 0, 1);
  const h = harness(runtime, {}, undefined, () => now);
  const source = h.pipelines[0]!.plugins[0]!;
  h.telemetry.sample();
  source.counters.emitted = 500;
  h.push([rec("x"), rec("y")]);
  h.bus.emit("record:parse-failed", { pipeline: "main", plugin: "p", line: "garbage <b>", reason: "not JSON", file: "/var/log/a.log", offset: 10 });
  h.bus.emit("record:parse-failed", { pipeline: "main", plugin: "p", line: "garbage 2", reason: "not JSON", file: "/var/log/a.log", offset: 22 });
  h.bus.emit("tail:files", { pipeline: "main", plugin: "t", files: [{ id: "t1", path: "/var/log/a.log", position: 10, size: 30, lag: 20, state: "active" }] });
  h.bus.emit("generator:burst-started", { pipeline: "main", plugin: "g", multiplier: 5, durationMs: 1000 });
  h.bus.emit("sink:rotated", { pipeline: "main", plugin: "s", path: "logs/app.log", lines: 10 });
  now += 20; // The telemetry's clock: a loaded machine's pause between the samples changes no rate.
  h.telemetry.sample();
  const m = (await (await h.request("/api/metrics")).json()) as any;
  assert.equal(m.pipelines[0].plugins[0].counters.emitted, 500);
  assert.equal(m.pipelines[0].plugins[0].rates.emitted, 25_000, "500 records in 20 ms");
  assert.equal(m.tap.records, 2);
  assert.equal(m.parseErrors.total, 2);
  assert.deepEqual(m.parseErrors.groups.map((g: any) => [g.fileId, g.reason, g.count]), [["f1", "not JSON", 2]]);
  assert.equal(m.parseErrors.latest.at(-1).line, "garbage 2");
  assert.deepEqual(m.files.map((f: any) => [f.id, f.lag]), [["t1", 20]]);
  assert.deepEqual(m.generators.map((g: any) => [g.plugin, g.burst, g.multiplier]), [["g", true, 5]]);
  h.bus.emit("generator:burst-ended", { pipeline: "main", plugin: "g" });
  assert.equal(m.rotations.total, 1);
  assert.equal(m.history.points.length, 1);
  assert.equal(((await (await h.request("/api/metrics")).json()) as any).generators[0].burst, false);
  h.close();
});

/** A Prometheus text-format checker: every line is a comment, HELP/TYPE, or `name{labels} value`. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  assert.ok(text.endsWith("\n"));
  for (const line of text.slice(0, -1).split("\n")) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!typed.has(type[1]!), `TYPE twice for ${type[1]}`);
      typed.add(type[1]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*)?\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    assert.ok(sample, `not a valid exposition line: ${JSON.stringify(line)}`);
    assert.ok(typed.has(sample[1]!), `sample before its TYPE: ${line}`);
    samples.set(sample[1]! + (sample[2] ?? ""), Number(sample[3]));
  }
  return samples;
}

test("GET /metrics is the Prometheus text format, parseable, with label values escaped", async () => {
  const h = harness(runtime);
  h.pipelines[0]!.name = 'we"ird\\name\nx';
  h.pipelines[0]!.plugins[1]!.counters.received = 42;
  h.push([rec("a"), rec("b"), rec("c")]);
  const response = await h.request("/metrics");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const samples = parsePrometheus(await response.text());
  assert.equal(samples.get("logsim_tap_records_total"), 3);
  const key = 'logsim_plugin_received_total{pipeline="we\\"ird\\\\name\\nx",id="pipelines.main.sinks[0]",plugin="jsonl",kind="sink"}';
  assert.equal(samples.get(key), 42);
  h.close();
});

test("metrics a plugin publishes (plugin:metrics) are in /metrics as logsim_plugin_<name> and in /api/metrics per plugin", async () => {
  const h = harness(runtime);
  const sink = h.pipelines[0]!.plugins[1]!;
  // A fake plugin instance, as an outside author writes it: only the core event and its types.
  const publish = (metrics: Array<{ name: string; type: "counter" | "gauge"; help: string; value: number }>, plugin = sink.id) => h.bus.emit("plugin:metrics", { pipeline: "main", plugin, metrics });
  publish([
    { name: "queue_pushed", type: "counter", help: "Records pushed.\nSecond line \\ kept.", value: 10 },
    { name: "queue_depth", type: "gauge", help: "Queue length.", value: 3.5 },
  ]);
  // Each event replaces the instance's set: the latest values count.
  publish([
    { name: "queue_pushed", type: "counter", help: "Records pushed.\nSecond line \\ kept.", value: 12 },
    { name: "queue_depth", type: "gauge", help: "Queue length.", value: 2 },
    { name: "queue_lag-seconds", type: "gauge", help: "Seconds behind.", value: 0.25 },
    { name: "received", type: "counter", help: "Collides with a core family: left out.", value: 99 },
  ]);
  // Another instance giving a known name another type, and one that is no longer in any pipeline: both left out.
  h.pipelines[0]!.plugins = [...h.pipelines[0]!.plugins, { id: "pipelines.main.sinks[1]", name: "other", kind: "sink", counters: { received: 0, emitted: 0, dropped: 0, errors: 0 } }];
  publish([{ name: "queue_pushed_total", type: "gauge", help: "Same family, other type.", value: 7 }], "pipelines.main.sinks[1]");
  publish([{ name: "queue_pushed", type: "counter", help: "Gone.", value: 1 }], "pipelines.old.sinks[0]");
  const text = await (await h.request("/metrics")).text();
  const samples = parsePrometheus(text);
  const labels = '{pipeline="main",id="pipelines.main.sinks[0]",plugin="jsonl",kind="sink"}';
  assert.equal(samples.get(`logsim_plugin_queue_pushed_total${labels}`), 12);
  assert.equal(samples.get(`logsim_plugin_queue_depth${labels}`), 2);
  assert.equal(samples.get(`logsim_plugin_queue_lag_seconds${labels}`), 0.25);
  assert.match(text, /^# TYPE logsim_plugin_queue_pushed_total counter$/m);
  assert.match(text, /^# TYPE logsim_plugin_queue_depth gauge$/m);
  assert.match(text, /^# HELP logsim_plugin_queue_pushed_total Records pushed\.\\nSecond line \\\\ kept\.$/m);
  const pluginSamples = [...samples.keys()].filter((k) => k.startsWith("logsim_plugin_queue_"));
  assert.equal(pluginSamples.length, 3, `only the sink's three: ${pluginSamples.join(", ")}`);
  assert.equal(samples.get(`logsim_plugin_received_total${labels}`), 0, "the core counter, not the plugin's 99");
  const m = (await (await h.request("/api/metrics")).json()) as any;
  assert.deepEqual(m.pipelines[0].plugins[1].metrics.map((x: any) => [x.name, x.type, x.value]), [["queue_pushed", "counter", 12], ["queue_depth", "gauge", 2], ["queue_lag-seconds", "gauge", 0.25], ["received", "counter", 99]]);
  assert.equal(m.pipelines[0].plugins[1].metrics[1].help, "Queue length.");
  h.close();
});

test("security headers: strict CSP without inline script, nosniff, frames denied", async () => {
  const h = harness(runtime);
  for (const path of ["/", "/api/logs", "/assets/app.js"]) {
    const response = await h.request(path);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get("content-security-policy")!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  }
  const page = await (await h.request("/")).text();
  assert.doesNotMatch(page.replace(/<script type="module" src="\/assets\/app\.js"><\/script>/, ""), /<script|\son[a-z]+=/i, "no inline script or handler");
  assert.equal((await h.request("/assets/app.js")).headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal((await h.request("/assets/..%2F..%2Fcore%2Fapp.ts")).status, 404);
  h.close();
});

test("the title is inserted as text", async () => {
  const h = harness(runtime, { title: '</title><script>alert(1)</script>' });
  const page = await (await h.request("/")).text();
  assert.ok(!page.includes("<script>alert(1)"));
  assert.ok(page.includes("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  h.close();
});

test("with a token every route but /healthz needs it: Bearer, ?token= once then a cookie", async () => {
  const token = "s3cret-token-0123456789";
  const h = harness(runtime, { token });
  for (const path of ["/", "/api/logs", "/api/services", "/api/config", "/api/metrics", "/metrics", "/api/stream", "/assets/app.js"]) {
    const response = await h.request(path);
    assert.equal(response.status, 401, path);
    assert.ok(!(await response.text()).includes(token));
  }
  assert.equal((await h.request("/healthz")).status, 200);
  assert.equal((await h.request("/api/logs", { headers: { authorization: `Bearer ${token}` } })).status, 200);
  assert.equal((await h.request("/api/logs", { headers: { authorization: `Bearer ${token}x` } })).status, 401);
  assert.equal((await h.request("/api/logs", { headers: { authorization: "Bearer s3cret" } })).status, 401);
  const login = await h.request(`/?token=${token}`);
  assert.equal(login.status, 303);
  assert.equal(login.headers.get("location"), "/");
  const shared = await h.request(`/?level=ERROR&token=${token}&service=pay`);
  assert.equal(shared.headers.get("location"), "/?level=ERROR&service=pay", "a shared view's filters survive the token redirect");
  const cookie = login.headers.get("set-cookie")!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal((await h.request("/", { headers: { cookie: cookie.split(";")[0]! } })).status, 200);
  assert.equal((await h.request("/api/metrics", { headers: { cookie: "logsim_token=wrong" } })).status, 401);
  h.close();
});

test("without a token, nothing asks for one", async () => {
  const h = harness(runtime);
  for (const path of ["/", "/api/logs", "/api/config", "/api/metrics", "/metrics", "/healthz"]) assert.equal((await h.request(path)).status, 200, path);
  assert.equal((await h.request("/nope")).status, 404);
  assert.equal((await h.request("/api/logs", { method: "POST" })).status, 404);
  h.close();
});

test("without a token only loopback Host names are answered (DNS rebinding); with a token any name may authenticate", async () => {
  const h = harness(runtime);
  for (const host of ["localhost", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"]) {
    assert.equal((await h.request(`http://${host}/api/logs`)).status, 200, host);
  }
  for (const host of ["attacker.example:8080", "evil.localhost.example"]) {
    const response = await h.request(`http://${host}/api/config`);
    assert.equal(response.status, 403, host);
    assert.match(((await response.json()) as { message: string }).message, /loopback/);
  }
  h.close();
  const withToken = harness(runtime, { token: "a-long-enough-token-123" });
  const response = await withToken.request("http://logs.internal.example/api/logs", { headers: { authorization: "Bearer a-long-enough-token-123" } });
  assert.equal(response.status, 200);
  withToken.close();
});
