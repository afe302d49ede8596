/**
 * A log writer for the collector tests, run as its own process:
 *   _collector-writer.ts FILE TOTAL ROTATIONS BACKUPS MODE MS
 * appends TOTAL numbered JSON lines to FILE over about MS milliseconds (each with
 * `generator: "writer"` and `seq` = n, where `logsim verify` finds them),
 * rotating it ROTATIONS times (MODE rename: FILE -> FILE.1 ..., keeping
 * BACKUPS, the oldest deleted, and a batch still written to the renamed file
 * through the old handle, as an app that reopens late does; MODE copytruncate:
 * copy then truncate in place).
 */
import { closeSync, copyFileSync, existsSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from "node:fs";

const [file, totalArg, rotationsArg, backupsArg, mode, msArg] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const total = Number(totalArg);
const rotations = Number(rotationsArg);
const backups = Number(backupsArg);
const ms = Number(msArg);
const BATCH = 50;
const every = Math.ceil(total / (rotations + 1));
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

let fd = openSync(file!, "a");
let sinceRotation = 0;
let late: number | undefined;
const started = Date.now();
for (let n = 1; n <= total; ) {
  let text = "";
  const end = Math.min(total, n + BATCH - 1);
  for (; n <= end; n++) text += `${JSON.stringify({ n, generator: "writer", seq: n, level: "info", msg: `line ${n}`, pad: "x".repeat(n % 40) })}\n`;
  writeSync(late ?? fd, text);
  if (late !== undefined) {
    closeSync(late);
    late = undefined;
  }
  sinceRotation += BATCH;
  if (sinceRotation >= every && rotations > 0) {
    sinceRotation = 0;
    if (mode === "copytruncate") {
      copyFileSync(file!, `${file}.1`);
      ftruncateSync(fd, 0);
    } else {
      rmSync(`${file}.${backups}`, { force: true });
      for (let i = backups - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      renameSync(file!, `${file}.1`);
      late = fd; // The next batch still goes to the renamed file.
      fd = openSync(file!, "a");
    }
  }
  const due = started + (ms * n) / total;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
}
if (late !== undefined) closeSync(late);
closeSync(fd);
