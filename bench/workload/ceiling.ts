/**
 * The hand-written JS ceiling of the collect workload: what a skilled engineer writes for exactly
 * these rules, with no framework. 1 MiB reads into a reused buffer, split on `\n` bytes, decode;
 * `JSON.parse` for lines that start with `{`, the plain regex otherwise; the filter on the raw line;
 * the tags; one `JSON.stringify` per record (the fields logsim's JSONL has: timestamp, level,
 * service, message, the other fields, tags, origin) into a reused output buffer; batched writes.
 * Unparsable lines go to a dead-letter file. No positions, no acks, no metrics.
 *
 *   bun bench/workload/ceiling.ts IN OUT
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { FILTER, PLAIN_PATTERN, TAGS, type Counts } from "./rules.ts";

export function ceiling(input: string, output: string): Counts {
  const filter = new RegExp(FILTER);
  const plain = new RegExp(PLAIN_PATTERN);
  const tagRules = TAGS.map((t) => ({ tag: t.tag, service: t.service, message: new RegExp(t.message) }));
  const counts: Counts = { lines: 0, written: 0, unparsed: 0, tags: Object.fromEntries(TAGS.map((t) => [t.tag, 0])) };
  const inFd = openSync(input, "r");
  const outFd = openSync(output, "w");
  const deadFd = openSync(`${output}.deadletter`, "w");
  const chunk = new Uint8Array(1 << 20);
  const buffer = new Uint8Array(1 << 20);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let used = 0;
  let position = 0;
  let carry = 0;
  const emit = (line: string) => {
    if (buffer.length - used < line.length * 3 + 1) {
      writeSync(outFd, buffer, 0, used);
      used = 0;
    }
    used += encoder.encodeInto(line, buffer.subarray(used)).written;
    buffer[used++] = 10;
  };
  for (;;) {
    const n = readSync(inFd, chunk, carry, chunk.length - carry, position + carry);
    if (n <= 0) break;
    const end = carry + n;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1 && nl < end; nl = chunk.indexOf(10, start)) {
      const text = decoder.decode(chunk.subarray(start, nl));
      const offset = position + start;
      start = nl + 1;
      counts.lines++;
      let record: Record<string, unknown> | undefined;
      let parser = "json";
      if (text.charCodeAt(0) === 123) {
        try {
          const obj = JSON.parse(text) as Record<string, unknown>;
          const { time, level, service, msg, ...fields } = obj;
          record = { timestamp: new Date(Date.parse(time as string)).toISOString(), level, service, message: msg, ...fields };
        } catch {
          record = undefined;
        }
      }
      if (!record) {
        const m = plain.exec(text);
        if (m) {
          const g = m.groups!;
          parser = "regex";
          record = { timestamp: new Date(Date.parse(g.timestamp!)).toISOString(), level: g.level, service: g.service, message: g.message };
        }
      }
      if (!record) {
        counts.unparsed++;
        writeSync(deadFd, `${JSON.stringify({ line: text, reason: "no parser matched", origin: { file: input, offset } })}\n`);
        continue;
      }
      if (!filter.test(text)) continue;
      let tags: string[] | undefined;
      for (const t of tagRules) {
        if (record.service === t.service || t.message.test(record.message as string)) {
          (tags ??= []).push(t.tag);
          counts.tags[t.tag]!++;
        }
      }
      record.tags = tags ?? [];
      record.origin = { file: input, offset, parser };
      counts.written++;
      emit(JSON.stringify(record));
    }
    if (start === 0 && end === chunk.length) throw new Error("line longer than the read buffer");
    // The partial last line moves to the front of the buffer.
    chunk.copyWithin(0, start, end);
    carry = end - start;
    position += start;
  }
  writeSync(outFd, buffer, 0, used);
  closeSync(outFd);
  closeSync(deadFd);
  closeSync(inFd);
  return counts;
}

const g = globalThis as { Deno?: { args: string[]; mainModule: string }; process?: { argv: string[] } };
const args = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
const isMain = g.Deno ? import.meta.url === g.Deno.mainModule : (g.process?.argv[1] ?? "").endsWith("ceiling.ts");
if (isMain && args[1]) {
  const t = performance.now();
  const counts = ceiling(args[0]!, args[1]);
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ...counts, ms: Math.round(ms), linesPerSecond: Math.round((counts.lines * 1000) / ms) }));
}
