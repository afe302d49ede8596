/** Helpers for tests that run the CLI as a child process under the runtime running the test. */
import { spawn, type ChildProcess } from "node:child_process";
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
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const { cmd, args: base } = cliCommand();
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

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
