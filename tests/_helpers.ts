/** Helpers for tests that run the CLI as a child process under the runtime running the test. */
import { spawn, type ChildProcess } from "node:child_process";
import { setImmediate } from "node:timers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");

/** The command that starts the logsim CLI under the current runtime. */
export function cliCommand(): { cmd: string; args: string[] } {
  const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ["run", "-A", "--quiet", "--config", join(ROOT, "deno.json"), join(ROOT, "runtime/deno/main.ts")] };
  if (g.Bun) return { cmd: process.execPath, args: [join(ROOT, "runtime/bun/main.ts")] };
  // tsx by absolute path: the child may run in a folder with no node_modules.
  return { cmd: process.execPath, args: ["--conditions=source", "--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "runtime/node/main.ts")] };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves with its output when it exits. Killed after `timeoutMs`. */
export function startCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; command?: { cmd: string; args: string[] } } = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const { cmd, args: base } = opts.command ?? cliCommand();
  const child = spawn(cmd, [...base, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: "1", ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

export const runCli = (args: string[], opts?: Parameters<typeof startCli>[1]) => startCli(args, opts).done;

/**
 * Sends a signal to a child. Uses process.kill(pid) rather than child.kill():
 * Deno's node:child_process then reports the exit code the child chose
 * (with child.kill it reports the signal even when the child exited 0).
 */
export function signal(child: ChildProcess, name: NodeJS.Signals): void {
  process.kill(child.pid!, name);
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "logsim-test-", parent = tmpdir()): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(parent, prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WaitOptions {
  /** Longest wait before failing (default 10 s). */
  timeoutMs?: number;
  /** What is awaited, for the error: "every line to be collected". */
  what?: string;
  /** Between checks (default 20 ms; 0: one event-loop turn, for conditions that promise jobs and timers decide). */
  intervalMs?: number;
}

/**
 * Waits until `check` returns true, checking at once and then every `intervalMs`; throws
 * "Timed out after N ms waiting for <what>" when `timeoutMs` passes first. Takes
 * options, or (older callers) the timeout and the description as arguments.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, options: WaitOptions | number = {}, what?: string): Promise<void> {
  const { timeoutMs = 10_000, what: awaited = what ?? "a condition", intervalMs = 20 } = typeof options === "number" ? { timeoutMs: options } : options;
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${awaited}`);
    await (intervalMs > 0 ? new Promise((resolve) => setTimeout(resolve, intervalMs)) : nextTurn());
  }
}

/** One turn of the event loop: lets every promise job queued so far run, and ready I/O callbacks. Not a delay: it synchronises nothing in time. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
