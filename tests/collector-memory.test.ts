/**
 * A 50 MB line does not make the collector hold 50 MB: the tail source keeps
 * at most maxLineBytes (1 MiB) of a line, emits it truncated and flagged, and
 * goes on with the next line. Measured on the collector child process's peak
 * RSS against the same run on a file of short lines.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

/** Linux only: the peak RSS of a process, from /proc (read while it runs). */
async function peakRss(args: string[], cwd: string): Promise<{ code: number | null; peakMiB: number; stderr: string }> {
  const { startCli } = await import("./_helpers.ts");
  const run = startCli(args, { cwd, timeoutMs: 60_000 });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${run.child.pid}/status`, "utf8"))?.[1]);
      if (kb > peak) peak = kb;
    } catch {
      // Exited.
    }
  }, 20);
  const r = await run.done;
  clearInterval(timer);
  return { code: r.code, peakMiB: peak / 1024, stderr: r.stderr };
}

test("a 50 MB line is truncated to 1 MiB and flagged; memory stays bounded", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-collect-mem-");
  t.after(cleanup);
  const big = join(dir, "big.log");
  const chunk = Buffer.alloc(1 << 20, 97);
  writeFileSync(big, "2026-11-23T10:00:00Z INFO [x] before\n2026-11-23T10:00:00Z INFO [x] ");
  for (let i = 0; i < 50; i++) appendFileSync(big, chunk);
  appendFileSync(big, "\n2026-11-23T10:00:01Z INFO [x] after\n");
  const small = join(dir, "small.log");
  writeFileSync(small, "2026-11-23T10:00:00Z INFO [x] before\n2026-11-23T10:00:00Z INFO [x] short\n2026-11-23T10:00:01Z INFO [x] after\n");
  const run = (file: string, out: string) => peakRss(["collect", "-i", file, "-o", join(dir, out), "--once", "--parser", "plain-text", "--state-dir", join(dir, `state-${out}`)], dir);
  const baseline = await run(small, "small.jsonl");
  const withBig = await run(big, "big.jsonl");
  assert.equal(withBig.code, 0, withBig.stderr);
  const got = readFileSync(join(dir, "big.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { message: string; tags?: string[] });
  assert.deepEqual(got.map((e) => [e.message.length, e.tags]), [["[x] before".length, []], [1_048_576 - "2026-11-23T10:00:00Z INFO ".length, ["_truncated"]], ["[x] after".length, []]]);
  assert.match(withBig.stderr, /1 lines over the length limit/);
  if (baseline.peakMiB > 0) {
    const growth = withBig.peakMiB - baseline.peakMiB;
    console.log(`peak RSS: short lines ${baseline.peakMiB.toFixed(0)} MiB, 50 MB line ${withBig.peakMiB.toFixed(0)} MiB (+${growth.toFixed(0)} MiB)`);
    // Holding the line would cost 50 MB of bytes plus 100 MB as a JS string.
    assert.ok(growth < 40, `peak RSS grew by ${growth.toFixed(0)} MiB`);
  }
});

/** `n` JSON lines shaped like the generator's (about 450 bytes each), written in 4 MiB pieces. */
function writeBacklog(path: string, n: number): void {
  writeFileSync(path, "");
  let piece: string[] = [];
  for (let i = 1; i <= n; i++) {
    const ms = Date.UTC(2026, 0, 1) + i;
    piece.push(
      JSON.stringify({
        timestamp: new Date(ms).toISOString(), level: i % 50 === 0 ? "ERROR" : "INFO", service: i % 3 === 0 ? "payment-service" : "auth-service",
        message: i % 3 === 0 ? "Payment authorized" : "User logged in", generator: "gen", seq: i, event: "session.login", user_id: `u-${1000 + (i % 997)}`,
        request_id: `r-${(i * 2654435761).toString(16).slice(-12)}`, trace_id: `${i.toString(16).padStart(32, "0")}`, ip: `10.${i % 256}.${(i >> 8) % 256}.1`,
        user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", method: "POST", path: i % 2 ? "/login" : "/api/v1/pay", latency_ms: i % 300, status: 200,
      }),
    );
    if (piece.length === 8192 || i === n) {
      appendFileSync(path, `${piece.join("\n")}\n`);
      piece = [];
    }
  }
}

test("collect --once: peak RSS does not grow with the backlog (bounded batches and channel)", { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir("logsim-collect-mem-");
  t.after(cleanup);
  const peaks: number[] = [];
  for (const n of [300_000, 600_000]) {
    const file = join(dir, `backlog-${n}.log`);
    writeBacklog(file, n);
    const out = join(dir, `out-${n}.jsonl`);
    const tags = ["auth=login|logout|session", "payment=payment|charge|refund", "api=GET |POST |/api/"].flatMap((x) => ["--tag", x]);
    const r = await peakRss(["collect", "-i", file, "-o", out, "--once", "--parser", "json", ...tags, "--state-dir", join(dir, `state-${n}`)], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`read ${n.toLocaleString("en-US")} lines .* wrote ${n.toLocaleString("en-US")};`));
    rmSync(file);
    rmSync(out);
    peaks.push(r.peakMiB);
  }
  if (peaks[0]! > 0) {
    const growth = (peaks[1]! - peaks[0]!) / peaks[0]!;
    console.log(`peak RSS: 300,000 lines ${peaks[0]!.toFixed(0)} MiB, 600,000 lines ${peaks[1]!.toFixed(0)} MiB (${(growth * 100).toFixed(1)}%)`);
    // Twice the backlog (135 -> 270 MiB of lines): what is held is bounded by batch size x channel
    // capacity, not by the backlog; holding the backlog would grow the peak by ~100%. 300,000 lines
    // first because V8 (Deno, and Node under tsx) is still growing its heap at 200,000: 100 MiB
    // there, then ~133 MiB from 300,000 to 800,000 lines.
    // On Bun. V8 (Deno, Node) lets its heap grow with the allocation rate when the machine is loaded: beside a second
    // test run, Deno's peak grew 12.5% once and 66.6% another time, where an idle run grows by 0%, so there the peak
    // RSS cannot tell a late collector from a leak; the cap below still catches holding the backlog.
    if ("Bun" in globalThis) assert.ok(growth < 0.25, `peak RSS grew by ${(growth * 100).toFixed(1)}% for twice the backlog`);
    // Bun runs the sources as `logsim` does: the 150 MiB. Node runs them through tsx here, which
    // adds its own memory (~133 MiB peaks, Deno the same), so the installed CLI's figure on Node is
    // bench/collect-memory.ts's; here a wider bound only catches a gross regression (holding the backlog: over 400 MiB).
    // Deno's peak reached 257 MiB with a second test run on the same 2 cores (its heap grows lazily under load).
    const cap = "Bun" in globalThis ? 150 : 320;
    assert.ok(peaks[1]! < cap, `peak RSS ${peaks[1]!.toFixed(0)} MiB`);
  }
});
