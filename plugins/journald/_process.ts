/** A child process's output as lines, with backpressure, for the journal source. */
import { spawn, type ChildProcess } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  notFound: boolean;
  error?: string;
}

/** Runs a program to its end (at most `timeoutMs`), never rejecting: a missing program is `notFound`. */
export function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      resolve({ code: null, stdout, stderr, notFound: (error as NodeJS.ErrnoException).code === "ENOENT", error: (error as Error).message });
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout = (stdout + d).slice(-65536)));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-65536)));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr, notFound: error.code === "ENOENT" || error.code === "EACCES", error: error.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, notFound: false });
    });
  });
}

/**
 * The lines a child writes to stdout, taken in batches. Reading pauses while `highWater`
 * lines wait, so a slow pipeline slows journalctl instead of filling memory.
 */
export class LineQueue {
  #lines: string[] = [];
  #head = 0;
  #rest = "";
  #ended = false;
  #wake: (() => void) | undefined;
  #child: ChildProcess | undefined;
  stderr = "";
  exitCode: Promise<number | null> = Promise.resolve(null);

  constructor(readonly highWater: number) {}

  attach(child: ChildProcess): void {
    this.#child = child;
    this.exitCode = new Promise((resolve) => {
      child.on("error", (error) => {
        this.stderr += `${error.message}\n`;
        this.#end();
        resolve(null);
      });
      child.on("close", (code) => {
        this.#end();
        resolve(code);
      });
    });
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => this.#push(chunk));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.stderr = (this.stderr + d).slice(-65536)));
  }

  #push(chunk: string): void {
    const parts = (this.#rest + chunk).split("\n");
    this.#rest = parts.pop()!;
    for (const p of parts) if (p !== "") this.#lines.push(p);
    if (this.#lines.length - this.#head >= this.highWater) this.#child?.stdout?.pause();
    this.#wake?.();
  }

  #end(): void {
    if (this.#rest !== "") this.#lines.push(this.#rest);
    this.#rest = "";
    this.#ended = true;
    this.#wake?.();
  }

  /** Up to `max` lines, waiting for at least one; none when the output ended or `signal` aborted. */
  async take(max: number, signal: AbortSignal): Promise<string[]> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (this.#head === this.#lines.length && !this.#ended && !signal.aborted) await new Promise<void>((resolve) => (this.#wake = resolve));
    } finally {
      this.#wake = undefined;
      signal.removeEventListener("abort", onAbort);
    }
    const out = this.#lines.slice(this.#head, this.#head + max);
    this.#head += out.length;
    if (this.#head === this.#lines.length) {
      this.#lines = [];
      this.#head = 0;
    }
    if (this.#lines.length - this.#head < this.highWater) this.#child?.stdout?.resume();
    return out;
  }

  /** stderr's lines, for warnings. */
  stderrLines(): string[] {
    return this.stderr.split("\n").filter((l) => l.trim() !== "");
  }
}
