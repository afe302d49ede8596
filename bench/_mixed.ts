/**
 * The mixed real-world workload of bench/collect.ts: loghub's 2k samples interleaved (16 systems'
 * formats), Docker json-file and CRI container lines, and Python and Java tracebacks (multi-line
 * events, one record per line until the tail source joins them); and its hand-written JS ceiling.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

const PYTHON = [
  "2026-11-29 10:00:00,123 ERROR [worker] Unhandled exception in job 42",
  "Traceback (most recent call last):",
  '  File "/app/worker.py", line 88, in run',
  "    result = handler(payload)",
  '  File "/app/handlers.py", line 17, in handle',
  '    raise ValueError(f"bad payload {payload!r}")',
  "ValueError: bad payload {'id': 42}",
];
const JAVA = [
  "2026-11-29 10:00:00.456 ERROR 1234 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception",
  "java.lang.IllegalStateException: connection pool exhausted",
  "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)",
  "\tat com.example.shop.OrderService.place(OrderService.java:54)",
  "Caused by: java.net.SocketTimeoutException: connect timed out",
  "\tat java.base/java.net.Socket.connect(Socket.java:633)",
  "\t... 12 more",
];
const APP = ["INFO [api] GET /api/orders 200 12ms", "WARN [payment] charge retry user=u-1 attempt=2", "ERROR [auth] login failed user=u-9", "DEBUG [cart] session refreshed"];

/**
 * Writes `n` mixed lines to `path`: per block of 18, 12 loghub lines (the samples in turn), 3 Docker
 * and 3 CRI lines; every 8th block also a Python and a Java traceback. Undefined without the samples.
 */
export function writeMixedBacklog(path: string, n: number, loghub: string): { lines: number; bytes: number } | undefined {
  if (!existsSync(loghub)) return undefined;
  const samples = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "HealthApp", "Linux", "Mac", "OpenSSH", "OpenStack", "Proxifier", "Spark", "Thunderbird", "Windows", "Zookeeper"]
    .map((name) => readFileSync(join(loghub, `${name}_2k.log`), "utf8").split("\n").filter(Boolean));
  const out: string[] = [];
  let t = Date.parse("2026-11-29T10:00:00.000Z");
  let k = 0;
  for (let block = 0; out.length < n; block++) {
    for (let i = 0; i < 12; i++, k++) out.push(samples[k % samples.length]![Math.floor(k / samples.length) % 2000]!);
    for (let i = 0; i < 3; i++) {
      const iso = new Date((t += 7)).toISOString();
      out.push(JSON.stringify({ log: `${iso} ${APP[(block + i) % APP.length]}\n`, stream: "stdout", time: `${iso.slice(0, -1)}456789Z` }));
    }
    for (let i = 0; i < 3; i++) {
      const iso = new Date((t += 7)).toISOString();
      out.push(`${iso.slice(0, -1)}456789Z ${i === 2 ? "stderr" : "stdout"} F ${iso} ${APP[(block + i + 1) % APP.length]}`);
    }
    if (block % 8 === 7) out.push(...PYTHON, ...JAVA);
  }
  out.length = n;
  const text = `${out.join("\n")}\n`;
  writeFileSync(path, text);
  return { lines: n, bytes: new TextEncoder().encode(text).length };
}

/** A leading time in the shapes of the mix (ISO and its kin, yy/MM/dd, yyMMdd HHmmss, MM-dd, [Www Mon dd ... yyyy]), then a level word. */
const HEAD = /^\[?(?:(\d{4})-?(\d\d)-?(\d\d)[T -](\d\d):?(\d\d):?(\d\d)(?:[.,:](\d+))?Z?|(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)|(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d)|(\d\d)[-.](\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?|\w{3} (\w{3}) (\d\d) (\d\d):(\d\d):(\d\d) (\d{4}))\]?[ ,|-]*(?:\d+ +)*\[?(INFO|WARN|ERROR|DEBUG|FATAL|notice|error|warn|Info)?\]?/;
const CRI = /^(\S+) (stdout|stderr) ([FP]) /;
const MON: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

/** The time of a HEAD match, from its digits (UTC; the years of year-less shapes as 2026). */
function timeOf(m: RegExpExecArray): number {
  const n = (i: number) => Number(m[i]);
  if (m[1]) return Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), Number((m[7] ?? "0").slice(0, 3).padEnd(3, "0")));
  if (m[8]) return Date.UTC(2000 + n(8), n(9) - 1, n(10), n(11), n(12), n(13));
  if (m[14]) return Date.UTC(2000 + n(14), n(15) - 1, n(16), n(17), n(18), n(19));
  if (m[20]) return Date.UTC(2026, n(20) - 1, n(21), n(22), n(23), n(24), Number((m[25] ?? "0").slice(0, 3)));
  return Date.UTC(n(31), MON[m[26]!]! - 1, n(27), n(28), n(29), n(30));
}

/**
 * The hand-written ceiling of the mixed workload: the same lines in, one JSON record per line out
 * (Docker and CRI envelopes opened, a leading time and level read with one regex, the rest the
 * message, lines without a time passed on tagged `_parse_error`, the same tag rules). It knows the
 * shapes in the mix, so it is a lower bound of the work, not a parser for them.
 */
export function mixedCeiling(backlog: string, out: string, rules: ReadonlyArray<readonly [string, RegExp]>): void {
  const input = openSync(backlog, "r");
  const output = openSync(out, "w");
  const chunk = new Uint8Array(1 << 20);
  const buffer = new Uint8Array(1 << 20);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const now = Date.now();
  let used = 0;
  let position = 0;
  for (;;) {
    const n = readSync(input, chunk, 0, chunk.length, position);
    if (n <= 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1 && nl < n; nl = chunk.indexOf(10, start)) {
      const raw = decoder.decode(chunk.subarray(start, nl));
      const offset = position + start;
      start = nl + 1;
      let text = raw;
      let envelope: Record<string, unknown> | undefined;
      if (text[0] === "{") {
        const o = JSON.parse(text) as { log: string; stream: string; time: string };
        text = o.log.endsWith("\n") ? o.log.slice(0, -1) : o.log;
        envelope = { stream: o.stream, container_time: o.time };
      } else {
        const c = CRI.exec(text);
        if (c) {
          text = text.slice(c[0].length);
          envelope = { stream: c[2] };
        }
      }
      const m = HEAD.exec(text);
      const record: Record<string, unknown> = m
        ? { timestamp: new Date(timeOf(m)).toISOString(), level: (m[32] ?? "INFO").toUpperCase(), message: text.slice(m[0].length) }
        : { timestamp: new Date(now).toISOString(), level: "INFO", message: text };
      if (envelope) Object.assign(record, envelope);
      const tags: string[] = m ? [] : ["_parse_error"];
      for (const [tag, rule] of rules) if (rule.test(text)) tags.push(tag);
      if (tags.length > 0) record.tags = tags;
      record.origin = { file: backlog, offset, parser: "auto" };
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
