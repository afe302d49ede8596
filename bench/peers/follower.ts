/**
 * The hand-written JS follower, the latency baseline: what a skilled engineer writes to follow one
 * file with these rules and nothing else. `fs.watch` (inotify) wakes it (a 100 ms poll catches a
 * missed event), it reads what is new, runs the ceiling's per-line work (json or the plain regex,
 * the filter, the tags) and writes the batch with one writeSync. No positions, no rotation, no batching delay. Runs until SIGTERM.
 *
 *   bun bench/peers/follower.ts IN OUT
 */
import { closeSync, openSync, readSync, watch, writeSync } from "node:fs";
import { FILTER, PLAIN_PATTERN, TAGS } from "../workload/rules.ts";

const filter = new RegExp(FILTER);
const plain = new RegExp(PLAIN_PATTERN);
const tagRules = TAGS.map((t) => ({ tag: t.tag, service: t.service, message: new RegExp(t.message) }));

/** The JSONL line of one input line, "" for a line the filter drops, undefined for an unparsable one. */
export function processLine(text: string, file: string, offset: number): string | undefined {
  let record: Record<string, unknown> | undefined;
  let parser = "json";
  if (text.charCodeAt(0) === 123) {
    try {
      const { time, level, service, msg, ...fields } = JSON.parse(text) as Record<string, unknown>;
      record = { timestamp: new Date(Date.parse(time as string)).toISOString(), level, service, message: msg, ...fields };
    } catch {
      record = undefined;
    }
  }
  if (!record) {
    const g = plain.exec(text)?.groups;
    if (!g) return undefined;
    parser = "regex";
    record = { timestamp: new Date(Date.parse(g.timestamp!)).toISOString(), level: g.level, service: g.service, message: g.message };
  }
  if (!filter.test(text)) return "";
  const tags: string[] = [];
  for (const t of tagRules) if (record.service === t.service || t.message.test(record.message as string)) tags.push(t.tag);
  record.tags = tags;
  record.origin = { file, offset, parser };
  return JSON.stringify(record);
}

export function follow(input: string, output: string): () => void {
  const inFd = openSync(input, "r");
  const outFd = openSync(output, "a");
  const deadFd = openSync(`${output}.deadletter`, "a");
  const chunk = new Uint8Array(1 << 20);
  const decoder = new TextDecoder();
  let position = 0;
  let carry = 0;
  const drain = () => {
    for (;;) {
      const n = readSync(inFd, chunk, carry, chunk.length - carry, position + carry);
      if (n <= 0) return;
      const end = carry + n;
      let start = 0;
      const out: string[] = [];
      const dead: string[] = [];
      for (let nl = chunk.indexOf(10, start); nl !== -1 && nl < end; nl = chunk.indexOf(10, start)) {
        const text = decoder.decode(chunk.subarray(start, nl));
        const line = processLine(text, input, position + start);
        start = nl + 1;
        if (line === undefined) dead.push(`${JSON.stringify({ line: text, reason: "no parser matched" })}\n`);
        else if (line) out.push(`${line}\n`);
      }
      if (out.length > 0) writeSync(outFd, out.join(""));
      if (dead.length > 0) writeSync(deadFd, dead.join(""));
      chunk.copyWithin(0, start, end);
      carry = end - start;
      position += start;
    }
  };
  const watcher = watch(input, drain);
  // inotify events can coalesce with a read already under way: a slow poll catches what they miss.
  const poll = setInterval(drain, 100);
  drain();
  return () => {
    clearInterval(poll);
    watcher.close();
    for (const fd of [inFd, outFd, deadFd]) closeSync(fd);
  };
}

const g = globalThis as { Deno?: { args: string[]; mainModule: string }; process?: { argv: string[]; on(s: string, f: () => void): void; exit(c: number): void } };
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
const isMain = g.Deno ? import.meta.url === g.Deno.mainModule : (g.process?.argv[1] ?? "").endsWith("follower.ts");
if (isMain && args[1]) {
  const stop = follow(args[0]!, args[1]);
  g.process?.on("SIGTERM", () => {
    stop();
    g.process!.exit(0);
  });
}
