/**
 * The multiline end-to-end tests' writer, run as its own process:
 *   _multiline-writer.ts FILE TOTAL ROTATIONS MS [BACKUPS] [OUTPUT]
 * appends events 1..TOTAL (tests/_multiline-events.ts) to FILE over about MS milliseconds, and
 * rename-rotates it ROTATIONS times (FILE -> FILE.1 ..., BACKUPS kept, default 3) IN THE MIDDLE of a
 * traceback: its first lines go to the file, the file is renamed, its other lines still go to
 * the renamed file through the open handle, then the writer reopens FILE.
 * With OUTPUT (the collector's jsonl), each rotation waits until the event before the cut traceback
 * is in OUTPUT: the collector has the file open, so a collector given only FILE's name can follow it
 * through the rename however loaded the machine is (a file that lives under the glob shorter than
 * the collector takes to scan is never seen: docs/collector.md).
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { eventText } from "./_multiline-events.ts";

const [file, totalArg, rotationsArg, msArg, backupsArg, output] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const total = Number(totalArg);
const rotations = Number(rotationsArg);
const ms = Number(msArg);
const BACKUPS = Number(backupsArg ?? 3);
const every = Math.ceil(total / (rotations + 1));
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
/** Longest a rotation waits for the collector to have read up to it. */
const AWAIT_MS = 60_000;

/** Waits until event `n` is in the collector's output (its message starts with "event n "). */
async function collected(n: number): Promise<void> {
  const deadline = Date.now() + AWAIT_MS;
  while (!(existsSync(output!) && readFileSync(output!, "utf8").includes(`"event ${n} `))) {
    if (Date.now() > deadline) throw new Error(`the collector did not write event ${n} within ${AWAIT_MS} ms`);
    await sleep(20);
  }
}

let fd = openSync(file!, "a");
let rotated = 0;
let text = "";
const started = Date.now();
for (let n = 1; n <= total; n++) {
  const event = `${eventText(n)}\n`;
  if (rotated < rotations && n >= every * (rotated + 1) && n % 3 === 0) {
    const lines = event.split("\n");
    const cut = 3 + (n % 2); // the log line, "Traceback", a frame, maybe its source line
    writeSync(fd, text + lines.slice(0, cut).join("\n") + "\n");
    text = "";
    if (output) await collected(n - 1);
    rmSync(`${file}.${BACKUPS}`, { force: true });
    for (let i = BACKUPS - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    renameSync(file!, `${file}.1`);
    writeSync(fd, lines.slice(cut).join("\n")); // the rest of the traceback, to the renamed file
    closeSync(fd);
    fd = openSync(file!, "a");
    rotated++;
    continue;
  }
  text += event;
  if (n % 20 === 0 || n === total) {
    writeSync(fd, text);
    text = "";
    const wait = started + (ms * n) / total - Date.now();
    if (wait > 0) await sleep(wait);
  }
}
closeSync(fd);
if (rotated < rotations) throw new Error(`only ${rotated} of ${rotations} rotations`);
