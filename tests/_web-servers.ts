/**
 * Real nginx and Apache for the web-log parser tests: the binaries scripts/setup.sh unpacks into
 * .tools/deb, run in the foreground on a free loopback port with everything in a temp folder.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "./_helpers.ts";

const DEB = join(ROOT, ".tools", "deb");
export const NGINX_BIN = join(DEB, "nginx", "usr", "sbin", "nginx");
export const APACHE_BIN = join(DEB, "apache2-bin", "usr", "sbin", "apache2");
export const APACHE_MODULES = join(DEB, "apache2-bin", "usr", "lib", "apache2", "modules");
const APR_LIBS = [join(DEB, "libapr1", "usr", "lib", "x86_64-linux-gnu"), join(DEB, "libaprutil1", "usr", "lib", "x86_64-linux-gnu")];

/** Why a server cannot run here, or undefined when it can. */
export function missing(server: "nginx" | "apache"): string | undefined {
  if (process.platform !== "linux") return `${server} from Debian packages runs on Linux only`;
  const bin = server === "nginx" ? NGINX_BIN : APACHE_BIN;
  if (!existsSync(bin)) return `${bin} is absent (run scripts/setup.sh, which unpacks the Debian package)`;
  if (server === "apache" && !APR_LIBS.every((d) => existsSync(d))) return "libapr1/libaprutil1 are absent from .tools/deb (run scripts/setup.sh)";
  // The binary may still lack a shared library on this machine: it must answer -v.
  const run = spawnSync(bin, ["-v"], { encoding: "utf8", timeout: 10_000, env: { ...process.env, ...(server === "apache" ? apacheEnv() : {}) } });
  if (run.status !== 0) return `${bin} -v failed here: ${(run.stderr || run.error?.message || `exit ${run.status}`).trim().split("\n")[0]}`;
  return undefined;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `check` until it returns a value, or throws after `ms` with `what` in the message. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const accepts = (port: number) =>
  new Promise<true | undefined>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => (socket.end(), resolve(true)));
    socket.once("error", () => resolve(undefined));
  });

/** The lines of a log file once it has at least `n`. */
export const linesOf = (file: string, n: number) =>
  until(`${n} lines in ${file}`, () => {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    const lines = text.split("\n").filter((l) => l !== "");
    return lines.length >= n && text.endsWith("\n") ? lines : undefined;
  });

export interface Running {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts a server in the foreground and waits until it accepts connections on `port`. */
export async function startServer(bin: string, args: string[], port: number, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  let exited = false;
  const closed = new Promise<void>((resolve) => child.on("close", () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    const timer = setTimeout(() => !exited && child.kill("SIGKILL"), 5_000);
    await closed;
    clearTimeout(timer);
  };
  try {
    await until(`${bin} to listen on 127.0.0.1:${port}`, async () => {
      if (exited) throw new Error(`${bin} exited: ${output}`);
      return accepts(port);
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, output: () => output, stop };
}

export const apacheEnv = () => ({ LD_LIBRARY_PATH: [...APR_LIBS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":") });
