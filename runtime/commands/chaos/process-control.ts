/**
 * The process chaos kills with SIGKILL: one it starts itself from a command line
 * (`--run`, started again after each kill so the run can prove nothing was lost),
 * or one it only finds (`--kill-pid`, `--kill-pidfile`: whoever supervises it
 * restarts it). node:child_process and process.kill work alike on Bun, Deno and Node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

export type Victim = { kind: "run"; command: string } | { kind: "pid"; pid: number } | { kind: "pidfile"; path: string };

export interface Controlled {
  /** The pid killed, or why nothing was. */
  kill(): { pid: number } | { problem: string };
  /** `--run` only: starts the command again; the new pid. */
  restart(): number | undefined;
  /** `--run` only: SIGTERM, then SIGKILL after `graceMs`; the exit code or signal. */
  stop(graceMs: number): Promise<string>;
  readonly pid: number | undefined;
  /** `--run` only: started again after a kill (or an exit of its own), so the driver knows to restart it. */
  readonly restarts: boolean;
}

/** The pid in a pid file (first number in it), or a problem. */
export function readPidFile(path: string): number | string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return `cannot read pid file ${path}: ${(e as Error).message}`;
  }
  const pid = Number(/\d+/.exec(text)?.[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : `pid file ${path} holds no pid`;
}

function killPid(pid: number): { pid: number } | { problem: string } {
  try {
    process.kill(pid, "SIGKILL");
    return { pid };
  } catch (e) {
    return { problem: `kill -9 ${pid} failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * A command run by the shell, its output passed through to chaos's stderr (a collector's
 * summary and warnings stay visible). `exec` makes the shell become the command, so the pid
 * killed is the command's.
 */
function startCommand(command: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn("/bin/sh", ["-c", `exec ${command}`], { stdio: ["ignore", "inherit", "inherit"], env });
}

/**
 * `onExit` is told when a `--run` command exits without being killed or stopped by chaos (it
 * crashed, or gave up): the driver records it and starts it again.
 */
export function controlVictim(victim: Victim, env: NodeJS.ProcessEnv = process.env, onExit: (pid: number, how: string) => void = () => {}): Controlled {
  if (victim.kind === "pid") return { kill: () => killPid(victim.pid), restart: () => undefined, stop: async () => "not ours", pid: victim.pid, restarts: false };
  if (victim.kind === "pidfile") {
    return {
      kill: () => {
        const pid = readPidFile(victim.path);
        return typeof pid === "string" ? { problem: pid } : killPid(pid);
      },
      restart: () => undefined,
      stop: async () => "not ours",
      get pid() {
        const pid = readPidFile(victim.path);
        return typeof pid === "number" ? pid : undefined;
      },
      restarts: false,
    };
  }
  let child: ChildProcess | undefined;
  const start = () => {
    const c = startCommand(victim.command, env);
    c.once("exit", (code, signal) => {
      if (child !== c) return; // Killed or stopped by chaos: it let go of it first.
      child = undefined;
      onExit(c.pid ?? 0, code !== null ? `exit code ${code}` : `signal ${signal}`);
    });
    return c;
  };
  child = start();
  const exited = (c: ChildProcess) => new Promise<string>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(String(c.exitCode ?? c.signalCode)) : c.once("exit", (code, signal) => resolve(String(code ?? signal)))));
  return {
    get pid() {
      return child?.pid;
    },
    restarts: true,
    kill() {
      const c = child;
      child = undefined;
      if (!c?.pid) return { problem: "the --run command is not running" };
      return killPid(c.pid);
    },
    restart() {
      if (!child) child = start();
      return child.pid;
    },
    async stop(graceMs) {
      const c = child;
      child = undefined;
      if (!c?.pid) return "not running";
      const done = exited(c);
      if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
      const timer = setTimeout(() => c.kill("SIGKILL"), graceMs);
      try {
        return await done;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
