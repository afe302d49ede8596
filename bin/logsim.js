#!/usr/bin/env node
// The installed `logsim` command, on the runtime that started it: Bun runs the
// TypeScript sources, Deno and Node the compiled bundles in dist/.
//
// `bunx logsim` and `bun run logsim` start this file with Node, as its shebang
// says, but from Bun (which sets npm_execpath to itself, and npm_config_user_agent
// to "bun/..." unless an outer npm already set it): it then
// runs logsim under that Bun instead, as the user meant. LOGSIM_RUNTIME=node
// keeps Node. Node has no exec() before 22.15, so Bun runs as a child that gets
// the terminal, the signals sent to this process and gives back its exit code.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bunMain = join(here, "../runtime/bun/main.ts");

/** The Bun that started us: npm_execpath is bun, or bunx whose sibling is bun. */
function startingBun(env) {
  if (env.LOGSIM_RUNTIME === "node") return undefined;
  const execPath = env.npm_execpath ?? "";
  const name = basename(execPath);
  // Under an npm script (`npm test`), `bunx` keeps npm's user agent and npm_execpath, but always sets
  // npm_lifecycle_event to "bunx".
  const fromBun = /^bun\//.test(env.npm_config_user_agent ?? "") || /^bunx?(\.exe)?$/.test(name) || env.npm_lifecycle_event === "bunx";
  if (!fromBun) return undefined;
  if (/^bun(\.exe)?$/.test(name)) return execPath;
  const sibling = join(dirname(execPath), name.replace(/^bunx/, "bun"));
  return /^bunx/.test(name) && existsSync(sibling) ? sibling : "bun";
}

function runUnder(bun) {
  const child = spawn(bun, [bunMain, ...process.argv.slice(2)], { stdio: "inherit" });
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  // A terminal's Ctrl-C reaches both processes; logsim counts signals within 250 ms as one.
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  child.on("error", (error) => {
    process.stderr.write(`logsim: could not start Bun (${bun}): ${error.message}; set LOGSIM_RUNTIME=node to run on Node\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

const bun = globalThis.Bun || globalThis.Deno ? undefined : startingBun(process.env);
if (globalThis.Bun) await import("../runtime/bun/main.ts");
else if (globalThis.Deno) await import("../dist/runtime/deno/main.js");
else if (bun) runUnder(bun);
else await import("../dist/runtime/node/main.js");
