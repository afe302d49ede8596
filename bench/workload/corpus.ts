/**
 * The seeded corpus of the performance issue's collect workload: about 80% JSON lines (the shape
 * pino, structlog and most app loggers write), 19.5% plain-text lines, 0.5% malformed (truncated
 * JSON, and text neither parser reads). The same seed and count give the same bytes.
 *
 *   bun bench/workload/corpus.ts OUT [lines=1000000] [seed=1]
 */
import { openSync, writeSync, closeSync } from "node:fs";

const SERVICES = ["api", "auth", "payment", "cart", "search", "worker"] as const;
const MESSAGES: Record<(typeof SERVICES)[number], string[]> = {
  api: ["GET /api/orders/{n} 200 {ms}ms", "POST /api/cart/items 201 {ms}ms", "GET /health 200 {ms}ms", "PUT /api/users/u-{n} 204 {ms}ms"],
  auth: ["user u-{n} login ok", "user u-{n} logout", "session refreshed for u-{n}", "token check failed for u-{n}"],
  payment: ["charge {n} authorized", "charge {n} declined: insufficient funds", "refund {n} issued", "webhook delivered in {ms}ms"],
  cart: ["cart c-{n} updated, {ms} items", "cart c-{n} expired", "price recomputed in {ms}ms"],
  search: ["query took {ms}ms, {n} hits", "index shard {n} refreshed", "slow query: {ms}ms"],
  worker: ["job {n} done in {ms}ms", "job {n} retried", "queue depth {n}"],
};
/** Levels with weights out of 100. */
const LEVELS: Array<[string, number]> = [["INFO", 70], ["DEBUG", 15], ["WARN", 10], ["ERROR", 5]];

/** mulberry32: small, fast, and the same on every runtime. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `lines` lines to `path`; returns the bytes written. */
export function writeCorpus(path: string, lines: number, seed = 1): number {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const level = () => {
    let r = next() * 100;
    for (const [name, w] of LEVELS) if ((r -= w) < 0) return name;
    return "INFO";
  };
  const fill = (template: string) => template.replace("{n}", String(Math.floor(next() * 100000))).replace("{ms}", String(1 + Math.floor(next() * 900)));
  const fd = openSync(path, "w");
  const encoder = new TextEncoder();
  let chunk: string[] = [];
  let bytes = 0;
  let time = Date.parse("2026-11-29T10:00:00.000Z");
  const flush = () => {
    const data = encoder.encode(chunk.join(""));
    writeSync(fd, data);
    bytes += data.length;
    chunk = [];
  };
  for (let i = 0; i < lines; i++) {
    time += Math.floor(next() * 3);
    const iso = new Date(time).toISOString();
    const service = pick(SERVICES);
    const message = fill(pick(MESSAGES[service]));
    const r = next();
    let line: string;
    if (r < 0.8) {
      const record = { time: iso, level: level(), service, msg: message, request_id: `r-${Math.floor(next() * 1e9).toString(36)}`, user: `u-${Math.floor(next() * 5000)}`, latency_ms: Math.floor(next() * 900) };
      line = JSON.stringify(record);
    } else if (r < 0.995) {
      line = `${iso} ${level()} [${service}] ${message}`;
    } else if (r < 0.9975) {
      const whole = JSON.stringify({ time: iso, level: level(), service, msg: message });
      line = whole.slice(0, 10 + Math.floor(next() * (whole.length - 20))); // Truncated JSON.
    } else {
      line = `${iso.slice(11)} -- ${service} ${message}`; // Neither JSON nor the plain layout.
    }
    chunk.push(line, "\n");
    if (chunk.length >= 8192) flush();
  }
  flush();
  closeSync(fd);
  return bytes;
}

const g = globalThis as { Deno?: { args: string[]; mainModule: string }; process?: { argv: string[] } };
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
const isMain = g.Deno ? import.meta.url === g.Deno.mainModule : (g.process?.argv[1] ?? "").endsWith("corpus.ts");
if (isMain && args[0]) {
  const bytes = writeCorpus(args[0], Number(args[1] ?? 1_000_000), Number(args[2] ?? 1));
  console.log(`${args[0]}: ${Number(args[1] ?? 1_000_000).toLocaleString("en-US")} lines, ${(bytes / 1048576).toFixed(1)} MiB`);
}
