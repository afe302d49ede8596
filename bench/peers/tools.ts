/**
 * Where bench/peers finds the programs it compares: rsyslog and syslog-ng unpacked by
 * scripts/peers-setup.sh into .tools/peers, GNU time, and the three JS runtimes. Each peer runs
 * from its private folder (LD_LIBRARY_PATH, module paths) and, when this process is root, as the
 * unprivileged `nobody` (setpriv): none of them needs privileges.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
const PEERS = join(ROOT, ".tools/peers");
const BIN = join(ROOT, "node_modules/.bin");

export const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : join(PEERS, "time/usr/bin/time");

const libraryPath = (dir: string, extra: string[] = []) =>
  [...extra, join(dir, "usr/lib/x86_64-linux-gnu"), join(dir, "lib/x86_64-linux-gnu")].join(":");

export const RSYSLOG = {
  dir: join(PEERS, "rsyslog"),
  binary: join(PEERS, "rsyslog/usr/sbin/rsyslogd"),
  moduleDir: join(PEERS, "rsyslog/usr/lib/x86_64-linux-gnu/rsyslog"),
  env: { LD_LIBRARY_PATH: libraryPath(join(PEERS, "rsyslog")) },
};

export const SYSLOG_NG = {
  dir: join(PEERS, "syslog-ng"),
  binary: join(PEERS, "syslog-ng/usr/sbin/syslog-ng"),
  moduleDir: join(PEERS, "syslog-ng/usr/lib/syslog-ng/3.38"),
  env: { LD_LIBRARY_PATH: libraryPath(join(PEERS, "syslog-ng"), [join(PEERS, "syslog-ng/usr/lib/syslog-ng")]) },
};

/** What scripts/peers-setup.sh did not manage to install (the run says so and goes on without it). */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!existsSync(TIME)) missing.push(`GNU time (${TIME})`);
  if (!existsSync(RSYSLOG.binary)) missing.push(`rsyslog (${RSYSLOG.binary})`);
  if (!existsSync(SYSLOG_NG.binary)) missing.push(`syslog-ng (${SYSLOG_NG.binary})`);
  return missing;
}

export type JsRuntime = "bun" | "node" | "deno";
export const RUNTIMES: readonly JsRuntime[] = ["bun", "node", "deno"];

/**
 * The command that runs a TypeScript (or, for Node, prebuilt JavaScript) file on a runtime.
 * Node 20 strips no types: logsim on Node runs its built bundle (dist/, what `npm install` users
 * run) and the ceiling an esbuild bundle, so no subject pays tsx's compile.
 */
export function runtimeCommand(runtime: JsRuntime, file: string): string[] {
  switch (runtime) {
    case "bun":
      return [join(BIN, "bun"), file];
    case "deno":
      return [join(ROOT, ".tools/node_modules/.bin/deno"), "run", "-A", "--quiet", "--config", join(ROOT, "deno.json"), file];
    case "node":
      return ["node", file];
  }
}

/** The logsim CLI's entry on each runtime. */
export const LOGSIM_MAIN: Record<JsRuntime, string> = {
  bun: join(ROOT, "runtime/bun/main.ts"),
  deno: join(ROOT, "runtime/deno/main.ts"),
  node: join(ROOT, "dist/runtime/node/main.js"),
};

/** Runs a peer as `nobody` when we are root; as ourselves otherwise. */
export function unprivileged(argv: string[]): string[] {
  const uid = (process as { getuid?: () => number }).getuid?.();
  return uid === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv] : argv;
}
