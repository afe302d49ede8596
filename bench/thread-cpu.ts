/**
 * Runs a command and prints the CPU seconds each of its threads used, summed by thread name: the
 * profile Bun cannot give per worker thread (`--cpu-prof` covers the main thread), and where a
 * runtime's own threads (JIT, GC helpers) go. Linux only: reads /proc/PID/task/TID/stat every
 * 20 ms and keeps each thread's last reading (a thread that ends between two readings loses at
 * most 20 ms).
 *
 *   bun bench/thread-cpu.ts -- bun runtime/bun/main.ts collect --config bench/workload/logsim.config.ts -q --workers 2
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const argv = (globalThis as { process?: { argv: string[] } }).process?.argv.slice(2) ?? [];
const command = argv[0] === "--" ? argv.slice(1) : argv;
if (command.length === 0) throw new Error("usage: bun bench/thread-cpu.ts -- COMMAND [ARGS...]");

// Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on (USER_HZ).
const TICKS_PER_SECOND = 100;

/** Each thread's name and CPU seconds so far, by thread id. */
function readThreads(pid: number, into: Map<string, { name: string; seconds: number }>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // Ended.
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      into.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // The thread ended between the listing and the read: its last reading stands.
    }
  }
}

const started = performance.now();
const child = spawn(command[0]!, command.slice(1), { stdio: "inherit" });
const threads = new Map<string, { name: string; seconds: number }>();
const timer = setInterval(() => readThreads(child.pid!, threads), 20);
const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
clearInterval(timer);
const wall = (performance.now() - started) / 1000;

const byName = new Map<string, { seconds: number; count: number }>();
for (const { name, seconds } of threads.values()) {
  const entry = byName.get(name) ?? { seconds: 0, count: 0 };
  entry.seconds += seconds;
  entry.count++;
  byName.set(name, entry);
}
const total = [...byName.values()].reduce((n, e) => n + e.seconds, 0);
console.error(`wall ${wall.toFixed(2)} s, CPU ${total.toFixed(2)} s in ${threads.size} threads (exit ${code})`);
for (const [name, { seconds, count }] of [...byName].sort((a, b) => b[1].seconds - a[1].seconds)) {
  if (seconds >= 0.01) console.error(`  ${seconds.toFixed(2).padStart(6)} s  ${String(count).padStart(2)} x ${name}`);
}
