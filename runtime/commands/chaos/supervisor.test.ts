import assert from "node:assert/strict";
import { test } from "node:test";
import { Supervisor } from "./supervisor.ts";

function harness(command: string, o: { minUpMs?: number } = {}) {
  let now = 0;
  const events: Array<{ kind: string; detail: string; pid?: number }> = [];
  const later: Array<{ atMs: number; run: () => void }> = [];
  const supervisor = new Supervisor({ kind: "run", command }, { elapsed: () => now, record: (kind, detail, pid) => events.push({ kind, detail, pid }), later: (atMs, run) => later.push({ atMs, run }), holdMs: 500, minUpMs: o.minUpMs ?? 1000 });
  const advance = (ms: number) => {
    now += ms;
    for (const l of later.splice(0).filter((x) => (x.atMs <= now ? (x.run(), false) : true))) later.push(l);
  };
  return { supervisor, events, later, advance };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = performance.now() + 15_000;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a kill while the collector is younger than minUpMs or down is skipped; a kill is followed by a restart after holdMs", async () => {
  const h = harness("sleep 60");
  try {
    h.advance(1000);
    h.supervisor.kill();
    assert.equal(h.events[0]!.kind, "kill");
    assert.match(h.events[0]!.detail, /^kill -9 collector pid \d+$/);
    h.supervisor.kill();
    assert.equal(h.events[1]!.detail, "skipped: the collector is down");
    h.advance(499);
    assert.equal(h.events.length, 2, "not restarted before holdMs");
    h.advance(1);
    assert.equal(h.events[2]!.kind, "restart");
    assert.notEqual(h.events[2]!.pid, h.events[0]!.pid);
    h.advance(300);
    h.supervisor.kill();
    assert.equal(h.events[3]!.detail, "skipped: the collector has run 300 ms, less than 1000 ms");
  } finally {
    await h.supervisor.stop(2000);
  }
  assert.equal(h.events.at(-1)!.kind, "exited");
});

test("a collector that exits by itself is recorded as crashed and started again; not after stop", async () => {
  const h = harness("sh -c 'exit 7'");
  await until(() => h.events.some((e) => e.kind === "crashed"), "the crash to be recorded");
  assert.match(h.events[0]!.detail, /exited by itself \(exit code 7\); starting it again/);
  assert.equal(h.supervisor.crashes, 1);
  await h.supervisor.stop(1000);
  h.advance(1000);
  assert.ok(!h.events.some((e) => e.kind === "restart"), "no restart once stopping");
});
