import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { generateToFile, readLines, tempDir } from "./_test-helpers.ts";

test("flows are coherent: tokens live from login to logout, payments follow a login, ids are stable, levels match", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "flows.log");
    // 60,000 events over 60 simulated seconds (rate 1000/s, not paced in real time: startTime only sets the clock).
    await generateToFile({ count: 60_000, seed: 11, startTime: "2026-11-23T10:00:00Z", incidents: { probability: 0.05, minDuration: 5, maxDuration: 10 } }, path);
    const events = readLines(path).map((l) => JSON.parse(l));
    const tokens = new Map<string, { user: string; loggedIn: boolean; ended: boolean }>();
    const api = new Map<string, { trace: string; user: string; done: boolean }>();
    const counts = { payments: 0, logouts: 0, expired: 0, failedPayments: 0, incidents: 0, apiResponses: 0, jobs: 0 };
    let lastTime = 0;
    for (const e of events) {
      const time = Date.parse(e.timestamp);
      assert.ok(time >= lastTime, "timestamps never go back");
      lastTime = time;
      if (e.event === "session.login" && e.session_token) {
        assert.ok(!tokens.has(e.session_token), "a token is issued once");
        assert.equal(e.level, "INFO");
        assert.equal(e.message, "User logged in");
        tokens.set(e.session_token, { user: e.user_id, loggedIn: true, ended: false });
        continue;
      }
      if (e.session_token) {
        const session = tokens.get(e.session_token);
        assert.ok(session, `token of seq ${e.seq} (${e.event}) was issued by an earlier login`);
        assert.equal(session.user, e.user_id, "one user per token");
        assert.ok(!session.ended, `token used after its logout or expiry at seq ${e.seq}`);
        if (e.event === "session.logout" || e.event === "session.expire") {
          session.ended = true;
          counts[e.event === "session.logout" ? "logouts" : "expired"]++;
        }
        if (e.event === "session.payment") {
          counts.payments++;
          assert.ok(session.loggedIn);
          if (e.level === "ERROR") counts.failedPayments++;
        }
      } else {
        assert.ok(!String(e.event).startsWith("session.") || e.event === "session.login", `session events carry a token (seq ${e.seq})`);
      }
      if (e.flow === "api") {
        const flow = api.get(e.request_id) ?? { trace: e.trace_id, user: e.user_id, done: false };
        assert.equal(flow.trace, e.trace_id, "trace_id stable within a request");
        assert.equal(flow.user, e.user_id);
        assert.ok(!flow.done, "no event after the response");
        if (e.event === "api.response") {
          flow.done = true;
          counts.apiResponses++;
          assert.equal(typeof e.latency_ms, "number");
        }
        api.set(e.request_id, flow);
      }
      if (e.flow === "job") counts.jobs++;
      if (e.flow === "incident") counts.incidents++;
      // Levels agree with messages.
      if (/failed|timed out|dead-letter/i.test(e.message)) assert.ok(e.level === "WARN" || e.level === "ERROR", `${e.level} "${e.message}"`);
      if (e.level === "ERROR") assert.match(e.message, /failed|dead-letter/i);
      if (/logged in|authorized|completed|recovered|placed/i.test(e.message)) assert.ok(e.level === "INFO" || e.level === "DEBUG", `${e.level} "${e.message}"`);
    }
    for (const n of Object.values(counts)) assert.ok(n > 0, JSON.stringify(counts));
    assert.ok(counts.logouts + counts.expired > 100, JSON.stringify(counts));
  } finally {
    cleanup();
  }
});

test("an incident raises the payment failure rate, then the gateway recovers", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "incident.log");
    await generateToFile({ count: 80_000, seed: 4, startTime: 0, mix: { session: 1, api: 0, job: 0 }, incidents: { probability: 0.02, minDuration: 10, maxDuration: 20 } }, path);
    let inIncident = false;
    const payments = { in: [0, 0], out: [0, 0] };
    let started = 0;
    let resolved = 0;
    for (const line of readLines(path)) {
      const e = JSON.parse(line);
      if (e.event === "incident.started") (inIncident = true), started++;
      if (e.event === "incident.resolved") (inIncident = false), resolved++;
      if (e.event === "session.payment") payments[inIncident ? "in" : "out"][e.level === "ERROR" ? 1 : 0]!++;
    }
    assert.ok(started >= 1 && resolved >= started - 1, `${started} incidents, ${resolved} recoveries`);
    const rate = (p: number[]) => p[1]! / (p[0]! + p[1]!);
    assert.ok(payments.in[0]! + payments.in[1]! > 50, JSON.stringify(payments));
    assert.ok(rate(payments.in) > 0.4, `failure rate during incidents ${rate(payments.in)}`);
    assert.ok(rate(payments.out) < 0.06, `failure rate outside incidents ${rate(payments.out)}`);
  } finally {
    cleanup();
  }
});
