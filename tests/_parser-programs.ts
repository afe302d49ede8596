/** Helpers the application-format parser tests share: real samples, child programs, line counts. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import type { RawLine } from "../core/types.ts";
import type { ParseEnv } from "../plugins/parsers/_common.ts";
import type { LineParser } from "../plugins/parsers/_plugin.ts";
import { ROOT } from "./_helpers.ts";

export const line = (text: string): RawLine => ({ kind: "line", text, origin: { file: "/logs/app.log", offset: 0 } });

/** The lines of a loghub sample, or undefined when the shared conformance data is absent. */
export function loghub(name: string): string[] | undefined {
  const file = join(ROOT, "..", "shared", "conformance", "loghub", `${name}_2k.log`);
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : undefined;
}

/** How many lines parse, and the first few that do not. */
export function coverage(lines: string[], parse: LineParser, env: ParseEnv): { parsed: number; total: number; failed: string[] } {
  const failed: string[] = [];
  let parsed = 0;
  for (const text of lines) {
    if (parse(line(text), env).isOk()) parsed++;
    else if (failed.length < 5) failed.push(text);
  }
  return { parsed, total: lines.length, failed };
}

/** Runs a program to completion (bounded by a timeout); undefined when it is not installed. */
export function run(cmd: string, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string } | undefined {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  if (r.error || r.status !== 0) return undefined;
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Runs a TypeScript file of this project under the runtime running the test, with extra environment variables. */
export function runScript(file: string, env: Record<string, string>): string {
  const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
  const args = g.Deno ? ["run", "-A", "--quiet", "--config", join(ROOT, "deno.json"), file]
    : g.Bun ? [file]
    : ["--conditions=source", "--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, file];
  const cmd = g.Deno ? g.Deno.execPath() : process.execPath;
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${file} exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A line of `size` bytes that starts like a record of the format. */
export const huge = (prefix: string, size = 10 * 1024 * 1024) => prefix + "x".repeat(size);
