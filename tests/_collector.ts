/** Helpers for the collector's end-to-end tests: child processes under the current runtime, output checks. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { verifyDelivery, type Delivery } from "./_delivery.ts";
import { ROOT } from "./_helpers.ts";

/** The command that runs a TypeScript file under the current runtime. */
export function scriptCommand(path: string): { cmd: string; args: string[] } {
  const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ["run", "-A", "--quiet", path] };
  if (g.Bun) return { cmd: process.execPath, args: [path] };
  return { cmd: process.execPath, args: ["--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, path] };
}

/** Runs the test writer (tests/_collector-writer.ts) to its end. */
export function runWriter(file: string, total: number, rotations: number, backups: number, mode: "rename" | "copytruncate", ms: number): Promise<number | null> {
  const { cmd, args } = scriptCommand(join(ROOT, "tests/_collector-writer.ts"));
  const child: ChildProcess = spawn(cmd, [...args, file, String(total), String(rotations), String(backups), mode, String(ms)], { stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve) => child.on("close", (code) => resolve(code)));
}

/** The `n` of every line of a collected.jsonl, and lines that are not whole records. */
export function collectedNumbers(path: string): { numbers: number[]; broken: string[] } {
  const numbers: number[] = [];
  const broken: string[] = [];
  if (!existsSync(path)) return { numbers, broken };
  const text = readFileSync(path, "utf8");
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      const entry = JSON.parse(line) as { n?: unknown; message?: unknown };
      if (typeof entry.n === "number" && entry.message === `line ${entry.n}`) numbers.push(entry.n);
      else broken.push(line.slice(0, 200));
    } catch {
      broken.push(line.slice(0, 200));
    }
  }
  return { numbers, broken };
}

/** How often each of 1..total appears: missing ones and duplicated ones. */
export function tallyNumbers(numbers: number[], total: number): { missing: number[]; duplicates: number } {
  const seen = new Uint8Array(total + 1);
  let duplicates = 0;
  for (const n of numbers) {
    if (seen[n]) duplicates++;
    seen[n] = 1;
  }
  const missing: number[] = [];
  for (let n = 1; n <= total; n++) if (!seen[n]) missing.push(n);
  return { missing, duplicates };
}

/** Lines in a file, counted cheaply. */
export function lineCount(path: string): number {
  if (!existsSync(path)) return 0;
  const bytes = readFileSync(path);
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Whether a tail state file in `dir` was written at or after `since` (ms): a collector started then is up (it saves at its first scan). */
export function savedSince(dir: string, since: number): boolean {
  return readdirSync(dir).some((name) => name.endsWith(".json") && statSync(join(dir, name)).mtimeMs >= since - 1);
}

/** The writer's id on every line it writes. */
export const WRITER_ID = "writer";

/** What `logsim verify` finds of the writer's lines 1..total in `outputs` (and dead-letter files). */
export function verifyWriter(outputs: readonly string[], total: number, deadletter: readonly string[] = []): Promise<Delivery> {
  return verifyDelivery(outputs, { id: WRITER_ID, count: total, deadletter });
}
