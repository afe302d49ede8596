/**
 * How much two threads buy on this machine for the work `collect --workers` hands to its threads:
 * the collect workload's lines (bench/workload) cut into 64 KiB line blocks as the tail cuts them,
 * then per block what a parsing thread does (core/parallel: unpack, json then regex, filter, tags,
 * JSONL encoding). Measured three ways, alternating, in one run: every block on the main thread;
 * every block in one Web Worker; the blocks shared out between two Web Workers running at once
 * (each takes every other block). Each thread also cuts the whole file into blocks, timed apart
 * from the work. Prints each thread's work time and the two threads' speed-up over one.
 *
 * If two threads at once were as fast as one alone, the speed-up would be 2. Below that is what
 * the machine takes back (shared caches and memory, the two vCPUs' host), before any cost of
 * logsim's own: the limit of `--workers 2` on a 2-core machine.
 *
 *   bun bench/worker-scaling.ts [corpus=a 1M-line corpus made in the temp folder] [rounds=3]
 *   deno run -A bench/worker-scaling.ts ...   (Node 20 has no Web Worker global)
 */
import { existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockBuffers, blockBuffers, LineBlockBuilder } from "../core/line-block.ts";
import { LineSplitter } from "../core/line-splitter.ts";
import { BatchProcessor } from "../core/parallel/batch-processor.ts";
import type { WorkerSetup } from "../core/parallel/protocol.ts";
import { packEntries, unpackEntries } from "../core/parallel/wire.ts";
import type { Parser, RecordEncoder, Transform } from "../core/plugin.ts";
import { filter, json, jsonl, regex, tag } from "../plugins/mod.ts";
import { createTestContext, instantiate } from "../testing/mod.ts";
import { writeCorpus } from "./workload/corpus.ts";
import { FILTER, PLAIN_PATTERN, TAGS } from "./workload/rules.ts";

interface Share {
  file: string;
  /** This thread takes the blocks whose index modulo `of` is `index`. */
  index: number;
  of: number;
}

interface Timing {
  /** Milliseconds in the parsing thread's work (unpack, parse, transform, encode). */
  work: number;
  /** Milliseconds reading and cutting the whole file into blocks. */
  cut: number;
  bytesOut: number;
}

const BLOCK_BYTES = 64 * 1024;

async function processor(): Promise<BatchProcessor> {
  const built = async <T>(spec: Parameters<typeof instantiate>[0]) => {
    const test = await createTestContext();
    return { instance: (await instantiate(spec, test)) as T, counters: test.ctx.counters };
  };
  const parsers = [await built<Parser>(json()), await built<Parser>(regex({ pattern: PLAIN_PATTERN }))];
  const transforms = [await built<Transform>(filter({ match: FILTER })), await built<Transform>(tag({ rules: TAGS.flatMap((t) => [{ tag: t.tag, field: "service", equals: t.service }, { tag: t.tag, field: "message", match: t.message }]) }))];
  const sink = jsonl({ path: "unused.jsonl" });
  const encoder = sink.definition.encoder!(sink.definition.schema.parse(sink.options) as never) as RecordEncoder;
  const setup: WorkerSetup = { pipeline: "collect", parsers: [], transforms: [], encoders: [], onParseError: "deadletter", deadLetter: true };
  return new BatchProcessor(setup, parsers, transforms, [encoder], () => Date.now());
}

/** One thread's share of the work. */
export async function runShare({ file, index, of }: Share): Promise<Timing> {
  const chain = await processor();
  const fd = openSync(file, "r");
  const size = fstatSync(fd).size;
  const chunk = new Uint8Array(BLOCK_BYTES);
  const buffers = new BlockBuffers();
  const builder = new LineBlockBuilder(buffers);
  const splitter = new LineSplitter(0, 1 << 20);
  const timing: Timing = { work: 0, cut: 0, bytesOut: 0 };
  let seq = 0;
  let blocks = 0;
  const start = performance.now();
  for (let offset = 0; offset < size; offset += BLOCK_BYTES) {
    splitter.pushBlock(chunk.subarray(0, readSync(fd, chunk, 0, BLOCK_BYTES, offset)), builder);
    const block = builder.finish({ file }, 0);
    if (!block) continue;
    if (blocks++ % of !== index) {
      buffers.give(blockBuffers([block]));
      continue;
    }
    const began = performance.now();
    const packed = packEntries([], [block]);
    const result = chain.run(++seq, unpackEntries(packed), false);
    timing.work += performance.now() - began;
    timing.bytesOut += result.encoded[0]?.length ?? 0;
    buffers.give(blockBuffers(packed.blocks));
  }
  timing.cut = performance.now() - start - timing.work;
  return timing;
}

function inWorkers(shares: Share[]): Promise<Timing[]> {
  return Promise.all(
    shares.map(
      (share) =>
        new Promise<Timing>((resolve, reject) => {
          const worker = new Worker(import.meta.url, { type: "module" });
          worker.onmessage = (event: MessageEvent<Timing>) => (resolve(event.data), worker.terminate());
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(share);
        }),
    ),
  );
}

async function main(args: string[]): Promise<void> {
  if (typeof Worker === "undefined") throw new Error("bench/worker-scaling.ts needs the Web Worker global: run it with bun or deno");
  const rounds = Number(args[1] ?? 3);
  let file = args[0];
  let made: string | undefined;
  if (!file || !existsSync(file)) {
    made = mkdtempSync(join(tmpdir(), "logsim-scaling-"));
    file = join(made, "corpus.log");
    writeCorpus(file, 1_000_000, 1);
  }
  const ms = (t: number) => `${Math.round(t)} ms`;
  try {
    const speedups: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const main = await runShare({ file, index: 0, of: 1 });
      const [one] = await inWorkers([{ file, index: 0, of: 1 }]);
      const began = performance.now();
      const two = await inWorkers([0, 1].map((index) => ({ file, index, of: 2 })));
      const wall = performance.now() - began;
      if (two[0]!.bytesOut + two[1]!.bytesOut !== main.bytesOut) throw new Error("the two threads' output differs from one thread's");
      const slowest = Math.max(two[0]!.work, two[1]!.work);
      speedups.push(one!.work / slowest);
      console.log(
        `round ${round}: main thread ${ms(main.work)} of work (+${ms(main.cut)} cutting); one worker ${ms(one!.work)}; two workers at once ${ms(two[0]!.work)} and ${ms(two[1]!.work)} for half each` +
          ` (${ms(wall)} wall with their start and cutting): x${(one!.work / slowest).toFixed(2)} the work rate of one worker`,
      );
    }
    speedups.sort((a, b) => a - b);
    console.log(`median speed-up of two threads over one: x${speedups[Math.floor(speedups.length / 2)]!.toFixed(2)} (2.00 would be two threads as fast as one alone)`);
  } finally {
    if (made) rmSync(made, { recursive: true, force: true });
  }
}

const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; onmessage?: unknown; postMessage?: (m: unknown) => void };
if (typeof scope.WorkerGlobalScope !== "undefined" || (typeof Bun !== "undefined" && !Bun.isMainThread)) {
  scope.onmessage = async (event: MessageEvent<Share>) => scope.postMessage!(await runShare(event.data));
} else {
  const g = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
  await main(g.Deno?.args ?? g.process?.argv.slice(2) ?? []);
}
