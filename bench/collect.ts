/**
 * Collect throughput, in one run on the current runtime: a JSON backlog read
 * from its start, parsed, filtered, tagged and written as JSONL by
 *   - logsim: the `collect --once --from-beginning` command, in-process (tail ->
 *     json -> filter -> tag -> jsonl, the ordinary runner, positions saved);
 *   - the JS ceiling: a hand-written streaming loop doing the same work (1 MiB
 *     fs.readSync chunks into a reused buffer, split on `\n` bytes, decode,
 *     JSON.parse, the same regexes, JSON.stringify into a reused output buffer,
 *     batched fs.writeSync), no pipeline, no positions, no normalisation.
 * Two workloads: the README's example (`--filter 'ERROR|payment'` keeps ~7% of
 * lines) and tags only (every line written). A third, mixed and real-world (see bench/_mixed.ts):
 * loghub's samples of 16 systems, Docker and CRI container lines and Python/Java tracebacks, read
 * by `--parser auto --on-parse-error pass` (every line written), against a ceiling that opens the
 * envelopes and reads a leading time and level with one regex. Each round runs logsim and the
 * ceiling back to back; 5 rounds after a warm-up; medians of the times and of
 * the per-round ratios (so both sides share the machine's noise).
 *
 *   bun bench/collect.ts [lines]    (also: node --import tsx bench/collect.ts, deno run -A bench/collect.ts)
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime } from "../runtime/detect.ts";
import { main } from "../runtime/cli.ts";
import { cliCommand, ROOT } from "../tests/_helpers.ts";
import { mixedCeiling, writeMixedBacklog } from "./_mixed.ts";

const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const N = Number(g.Deno?.args[0] ?? g.process?.argv[2] ?? 300_000);
const ROUNDS = 5;
const TAGS: Array<[string, string]> = [["auth", "login|logout|session"], ["payment", "payment|charge|refund"], ["api", "GET |POST |/api/"]];
const FILTER = "ERROR|payment";
const runtime = await detectRuntime();

const dir = mkdtempSync(join(tmpdir(), "logsim-bench-collect-"));
const backlog = join(dir, "backlog.log");
const mixedBacklog = join(dir, "mixed.log");
const quietRuntime: typeof runtime = { ...runtime, stderr: { isTTY: false, write: async () => undefined, flush: async () => undefined } };

async function cli(args: string[]): Promise<void> {
  const code = await main(args, quietRuntime);
  if (code !== 0) throw new Error(`logsim ${args[0]} exited ${code}`);
}

/** `logsim collect --once --from-beginning --parser json [--filter] --tag ...` into `out`. */
async function logsim(out: string, filter: boolean): Promise<void> {
  const state = `${out}.state`;
  await cli([
    "collect", "-i", backlog, "-o", out, "--once", "--from-beginning", "--parser", "json",
    ...(filter ? ["--filter", FILTER] : []), ...TAGS.flatMap(([t, re]) => ["--tag", `${t}=${re}`]),
    "--state-dir", state, "--deadletter", `${out}.deadletter`, "-q",
  ]);
  rmSync(state, { recursive: true, force: true });
}

/** The hand-written ceiling: the same lines in, the same JSON lines out (for this backlog). */
function ceiling(out: string, filter: boolean): void {
  const re = filter ? new RegExp(FILTER) : undefined;
  const rules = TAGS.map(([tag, match]) => [tag, new RegExp(match)] as const);
  const input = openSync(backlog, "r");
  const output = openSync(out, "w");
  const chunk = new Uint8Array(1 << 20);
  const buffer = new Uint8Array(1 << 20);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let used = 0;
  let position = 0;
  for (;;) {
    const n = readSync(input, chunk, 0, chunk.length, position);
    if (n <= 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1 && nl < n; nl = chunk.indexOf(10, start)) {
      const text = decoder.decode(chunk.subarray(start, nl));
      const offset = position + start;
      start = nl + 1;
      const record = JSON.parse(text) as Record<string, unknown>;
      if (re && !re.test(text)) continue;
      const tags: string[] = [];
      for (const [tag, rule] of rules) if (rule.test(text)) tags.push(tag);
      if (tags.length > 0) record.tags = tags;
      record.origin = { file: backlog, offset, parser: "json" };
      const line = JSON.stringify(record);
      if (buffer.length - used < line.length * 3 + 1) {
        writeSync(output, buffer, 0, used);
        used = 0;
      }
      used += encoder.encodeInto(line, buffer.subarray(used)).written;
      buffer[used++] = 10;
    }
    if (start === 0) throw new Error("line longer than the read buffer");
    position += start;
  }
  writeSync(output, buffer, 0, used);
  closeSync(output);
  closeSync(input);
}

/** `logsim collect --once --from-beginning --parser auto --on-parse-error pass --tag ...` on the mixed backlog. */
async function logsimMixed(out: string): Promise<void> {
  const state = `${out}.state`;
  await cli([
    "collect", "-i", mixedBacklog, "-o", out, "--once", "--from-beginning", "--parser", "auto", "--on-parse-error", "pass",
    ...TAGS.flatMap(([t, re]) => ["--tag", `${t}=${re}`]), "--state-dir", state, "--deadletter", `${out}.deadletter`, "-q",
  ]);
  rmSync(state, { recursive: true, force: true });
}

interface Row {
  name: string;
  ms: number;
  ratio: number;
  outLines: number;
  inLines: number;
  bytes: number;
}

interface Workload {
  what: string;
  logsim(out: string): Promise<void>;
  ceiling(out: string): void;
  inLines: number;
  bytes: number;
  /** The same bytes out on both sides, so sizes are compared (else only line counts). */
  sameShape: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lineCount = (path: string) => {
  const bytes = readFileSync(path);
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
};

async function workload(w: Workload): Promise<Row[]> {
  const times = { logsim: [] as number[], ceiling: [] as number[], ratio: [] as number[] };
  let outLines = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const a = join(dir, "logsim.jsonl");
    const b = join(dir, "ceiling.jsonl");
    let t = performance.now();
    await w.logsim(a);
    const logsimMs = performance.now() - t;
    t = performance.now();
    w.ceiling(b);
    const ceilingMs = performance.now() - t;
    if (round === 0) {
      // Same work: the same lines out, byte for byte (timestamps are already ISO UTC in this backlog).
      outLines = lineCount(b);
      if (lineCount(a) !== outLines) throw new Error(`logsim wrote ${lineCount(a)} lines, the ceiling ${outLines}`);
      if (w.sameShape && statSync(a).size !== statSync(b).size) console.log(`note: outputs differ in size (${statSync(a).size} vs ${statSync(b).size} bytes)`);
    } else {
      times.logsim.push(logsimMs);
      times.ceiling.push(ceilingMs);
      times.ratio.push(ceilingMs / logsimMs);
    }
    rmSync(a, { force: true });
    rmSync(b, { force: true });
  }
  return [
    { name: `JS ceiling (${w.what})`, ms: median(times.ceiling), ratio: 1, outLines, inLines: w.inLines, bytes: w.bytes },
    { name: `logsim collect (${w.what})`, ms: median(times.logsim), ratio: median(times.ratio), outLines, inLines: w.inLines, bytes: w.bytes },
  ];
}

function jsonWorkload(filter: boolean, bytes: number): Workload {
  const what = filter ? `--filter '${FILTER}' + 3 tags` : "3 tags, every line written";
  return { what, logsim: (out) => logsim(out, filter), ceiling: (out) => ceiling(out, filter), inLines: N, bytes, sameShape: true };
}

try {
  // Generated by a child process: the generator's heap and JIT state are not what a collector has.
  const { cmd, args } = cliCommand();
  execFileSync(cmd, [...args, "generate", "--format", "json", "--count", String(N), "--seed", "1", "--start-time", "2026-01-01T00:00:00Z", "--max-bytes", "0", "--output", backlog, "-q"]);
  const bytes = statSync(backlog).size;
  const rows = [...(await workload(jsonWorkload(true, bytes))), ...(await workload(jsonWorkload(false, bytes)))];
  const mixed = writeMixedBacklog(mixedBacklog, N, join(ROOT, "..", "shared", "conformance", "loghub"));
  if (mixed) {
    const rules = TAGS.map(([tag, match]) => [tag, new RegExp(match)] as const);
    const what = "mixed real-world, auto, 3 tags";
    rows.push(...(await workload({ what, logsim: logsimMixed, ceiling: (out) => mixedCeiling(mixedBacklog, out, rules), inLines: mixed.lines, bytes: mixed.bytes, sameShape: false })));
  }
  console.log(`${runtime.name} ${runtime.version}, ${N.toLocaleString("en-US")} JSON lines (${(bytes / 1048576).toFixed(0)} MiB) per run, median of ${ROUNDS} rounds after a warm-up`);
  if (mixed) console.log(`mixed workload: ${mixed.lines.toLocaleString("en-US")} lines (${(mixed.bytes / 1048576).toFixed(0)} MiB)`);
  else console.log("mixed workload skipped: no loghub samples in ../shared/conformance/loghub");
  console.log(`| ${"what".padEnd(54)} | lines/s   | MiB/s | lines out | vs ceiling |`);
  console.log(`| ${"-".repeat(54)} | --------: | ----: | --------: | ---------: |`);
  for (const r of rows) {
    const rate = (r.inLines * 1000) / r.ms;
    const mib = r.bytes / 1048576 / (r.ms / 1000);
    console.log(`| ${r.name.padEnd(54)} | ${Math.round(rate).toLocaleString("en-US").padStart(9)} | ${mib.toFixed(1).padStart(5)} | ${r.outLines.toLocaleString("en-US").padStart(9)} | ${r.ratio.toFixed(2).padStart(9)}x |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
