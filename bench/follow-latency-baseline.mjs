/**
 * The hand-written follower that bench/follow-latency.ts compares against: the least a follower
 * must do, the way one would write it in an afternoon. An fs.watch hint on the file (and a 250 ms
 * poll should a hint be lost) reads what was appended, splits it into lines, parses each as JSON,
 * adds the tags and appends JSON lines to the output with one write per read. No positions, no
 * rotation, no batching. Plain JavaScript and Node APIs: runs on Node and Bun without a loader.
 *
 *   node bench/follow-latency-baseline.mjs INPUT OUTPUT
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, watch, writeSync } from "node:fs";
import { dirname } from "node:path";

const [input, output] = process.argv.slice(2);
const RULES = [["auth", /login|logout|session/], ["payment", /charge|refund/], ["api", /GET |POST |\/api\//]];

mkdirSync(dirname(output), { recursive: true });
const inFd = openSync(input, "r");
const outFd = openSync(output, "a");
const buffer = new Uint8Array(1 << 20);
const decoder = new TextDecoder();
let position = fstatSync(inFd).size;
let rest = "";

function read() {
  for (;;) {
    const n = readSync(inFd, buffer, 0, buffer.length, position);
    if (n <= 0) return;
    position += n;
    const text = rest + decoder.decode(buffer.subarray(0, n), { stream: true });
    const end = text.lastIndexOf("\n");
    rest = text.slice(end + 1);
    if (end < 0) continue;
    let out = "";
    for (const line of text.slice(0, end).split("\n")) {
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      const message = String(record.message ?? "");
      record.tags = RULES.filter(([tag, re]) => record.service === tag || re.test(message)).map(([tag]) => tag);
      out += `${JSON.stringify(record)}\n`;
    }
    if (out) writeSync(outFd, out);
  }
}

const watcher = watch(input, () => read());
const poll = setInterval(read, 250);
read();
const stop = () => {
  watcher.close();
  clearInterval(poll);
  closeSync(inFd);
  closeSync(outFd);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
