/**
 * The collect workload's per-line stages in one process, each timed alone over the same lines (the
 * fastest of `--reps` passes: on a loaded machine the minimum is the stable figure): split and decode
 * (LineSplitter), parse (json then regex, as the pipeline chains them), transform (filter, tag), and
 * format (the jsonl sink's line formatter). What a change to one stage buys, without process start,
 * file I/O or the scheduler's noise. Times are CPU time (process.cpuUsage): on a machine shared with
 * other jobs the wall clock also counts their turns.
 *
 *   bun bench/workload/stages.ts CORPUS [--reps 5]
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { parseArgs } from "node:util";
import { jsonLineFormatter, LineSplitter, type LogRecord, type Parser, type RawLine, type SplitLine, type Transform } from "logsim";
import { filter, json, regex, tag } from "logsim/plugins";
import { createTestContext, instantiate } from "logsim/testing";
import { FILTER, PLAIN_PATTERN, TAGS } from "./rules.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { reps: { type: "string", default: "5" } } });
const bytes = readFileSync(positionals[0]!);
const reps = Number(values.reps);
const ctx = await createTestContext();
const parsers = [await instantiate(json(), ctx), await instantiate(regex({ pattern: PLAIN_PATTERN }), ctx)] as Parser[];
const transforms = [
  await instantiate(filter({ match: FILTER }), ctx),
  await instantiate(tag({ rules: TAGS.flatMap((t) => [{ tag: t.tag, field: "service", equals: t.service }, { tag: t.tag, field: "message", match: t.message }]) }), ctx),
] as Transform[];

/** CPU milliseconds (user + system) of this process so far. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The fastest of `reps` runs of `f`, in CPU ms. */
function fastest(f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = cpuMs();
    f();
    best = Math.min(best, cpuMs() - t);
  }
  return best;
}

const CHUNK = 64 * 1024;
let split: SplitLine[] = [];
const splitMs = fastest(() => {
  const splitter = new LineSplitter(0, 1 << 20);
  split = [];
  for (let at = 0; at < bytes.length; at += CHUNK) splitter.push(bytes.subarray(at, at + CHUNK), split);
});
const lines = (): RawLine[] => split.map((s) => ({ kind: "line", text: s.text, origin: { file: "/tmp/corpus.log", offset: s.offset } }));

const parse = (line: RawLine): LogRecord | undefined => {
  for (const p of parsers) {
    const r = p.parse(line);
    if (r.isOk()) return r.value as LogRecord;
  }
  return undefined;
};
let records: LogRecord[] = [];
let parseMs = Infinity;
for (let i = 0; i < reps; i++) {
  const input = lines(); // Parsers take their line's origin: fresh lines per pass, made outside the timing.
  const t = cpuMs();
  const out: LogRecord[] = [];
  for (const line of input) {
    const r = parse(line);
    if (r) out.push(r);
  }
  parseMs = Math.min(parseMs, cpuMs() - t);
  records = out;
}
let kept: LogRecord[] = [];
const transformMs = fastest(() => {
  const out: LogRecord[] = [];
  for (const record of records) {
    let r: LogRecord | undefined = record;
    for (let i = 0; r && i < transforms.length; i++) r = transforms[i]!.transform(r) ?? undefined;
    if (r) out.push(r);
  }
  kept = out;
});
const format = jsonLineFormatter("always");
let chars = 0;
const formatMs = fastest(() => {
  chars = 0;
  for (const line of kept.map(format)) chars += line.length;
});
const n = split.length;
const row = (name: string, ms: number, count: number) => console.log(`${name.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1e6) / count).toFixed(0).padStart(5)} ns/line  (${count.toLocaleString("en")} lines)`);
row("split", splitMs, n);
row("parse", parseMs, n);
row("transform", transformMs, records.length);
row("format", formatMs, kept.length);
row("total", splitMs + parseMs + transformMs + formatMs, n);
console.log(`kept ${kept.length.toLocaleString("en")}, ${chars.toLocaleString("en")} chars of JSONL`);
