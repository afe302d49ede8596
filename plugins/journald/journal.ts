/**
 * The `journal` source: follows the systemd journal through `journalctl -f -o json` and emits
 * each entry as a line for the `journald` parser. The cursor of the last entry the sinks have
 * written is saved (the tail source's state folder), and a restart goes on after it
 * (`--after-cursor`), so a restart neither loses nor repeats entries the sinks acknowledged.
 * Where journalctl is missing or no journal is readable, the source fails with one line saying so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { definePlugin, filePath, positiveInt, stateFile, syncState, type Batch, type PluginContext, type RawLine, type Source } from "../../core/mod.ts";
import { LineQueue, run } from "./_process.ts";

export const journalSchema = z.strictObject({
  journalctl: z.string().min(1).default("journalctl").describe("The journalctl program (a name on the PATH or a path)"),
  directory: filePath().optional().describe("Read the journal files in this folder (journalctl --directory) instead of the system's journal"),
  units: z.array(z.string().min(1)).default([]).describe("Only the entries of these systemd units (journalctl --unit)"),
  fromBeginning: z.boolean({ error: "expected true or false" }).default(false).describe("With no saved cursor, read the whole journal (default: only entries from now on)"),
  once: z.boolean({ error: "expected true or false" }).default(false).describe("Read to the end of the journal, then stop (implies fromBeginning when there is no saved cursor)"),
  stateDir: filePath().default(".logsim/state").describe("Folder of the saved cursor"),
  batchLines: positiveInt().default(1000).describe("Most entries per batch"),
});

export type JournalOptions = z.output<typeof journalSchema>;

interface JournalState {
  version: 1;
  cursor: string;
}

const CURSOR_KEY = '"__CURSOR":"';

/** The `__CURSOR` of a `journalctl -o json` line (cursors hold no quote or backslash). */
export function cursorOf(text: string): string | undefined {
  const at = text.indexOf(CURSOR_KEY);
  if (at < 0) return undefined;
  const end = text.indexOf('"', at + CURSOR_KEY.length);
  return end < 0 ? undefined : text.slice(at + CURSOR_KEY.length, end);
}

function loadCursor(ctx: PluginContext, path: string): string | undefined {
  const text = ctx.runtime.fs.readText(path);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as Partial<JournalState>;
    if (state.version === 1 && typeof state.cursor === "string" && state.cursor !== "") return state.cursor;
  } catch {
    // Reported below.
  }
  ctx.log.warn(`state file ${path} is not a saved journal cursor; starting without it`);
  ctx.counters.errors++;
  return undefined;
}

/** journalctl's arguments for what to read, and from where. */
function selection(options: JournalOptions): string[] {
  const args = options.directory ? ["--directory", options.directory] : [];
  for (const unit of options.units) args.push("--unit", unit);
  return args;
}

/** Why no journal can be read (journalctl missing, no journal files, no permission), or undefined. */
async function journalProblem(options: JournalOptions): Promise<string | undefined> {
  const where = options.directory ? ` in ${options.directory}` : "";
  // `-n 0` in the default output is the cheapest run that still says "No journal files were found".
  const r = await run(options.journalctl, [...selection(options), "-n", "0", "--no-pager"]);
  if (r.notFound) return `cannot run "${options.journalctl}": not found (install systemd's journalctl, or set the source's journalctl option)`;
  const said = `${r.stderr}\n${r.stdout}`;
  if (/No journal files were opened due to insufficient permissions/.test(said)) return `no journal${where} is readable by this user (add it to the systemd-journal or adm group)`;
  if (/No journal files were found/.test(said)) return `no journal files were found${where}`;
  if (r.code !== 0) return `${options.journalctl} exited with code ${r.code}: ${firstLine(r.stderr || r.error || "")}`;
  return undefined;
}

const firstLine = (text: string) => text.trim().split("\n")[0]!.slice(0, 300);

function createJournal(options: JournalOptions, ctx: PluginContext): Source {
  const cwd = ctx.runtime.cwd();
  const stateDir = isAbsolute(options.stateDir) ? options.stateDir : join(cwd, options.stateDir);
  const statePath = stateFile(ctx, stateDir);
  const directory = options.directory && !isAbsolute(options.directory) ? join(cwd, options.directory) : options.directory;
  const opts = { ...options, directory };
  let saved = loadCursor(ctx, statePath);
  let savedOnDisk = saved;
  let child: ChildProcess | undefined;

  const save = () => {
    if (saved === savedOnDisk || saved === undefined) return;
    try {
      ctx.runtime.fs.mkdirp(stateDir);
      ctx.runtime.fs.writeAtomic(statePath, `${JSON.stringify({ version: 1, cursor: saved } satisfies JournalState)}\n`, { sync: syncState(ctx), inPlace: true });
      savedOnDisk = saved;
    } catch (error) {
      ctx.log.warn(`cannot save the journal cursor to ${statePath}: ${(error as Error).message}`);
      ctx.counters.errors++;
    }
  };

  async function* batches(): AsyncGenerator<Batch> {
    const problem = await journalProblem(opts);
    if (problem) throw new Error(problem);
    const args = [...selection(opts), "--output", "json", "--no-pager"];
    if (!opts.once) args.push("--follow");
    if (saved) args.push("--after-cursor", saved, "--lines", "all");
    else args.push("--lines", opts.fromBeginning || opts.once ? "all" : "0");
    const queue = new LineQueue(options.batchLines * 4);
    child = spawn(opts.journalctl, args, { stdio: ["ignore", "pipe", "pipe"] });
    queue.attach(child);
    const stop = () => child?.kill("SIGTERM");
    ctx.signal.addEventListener("abort", stop, { once: true });
    try {
      for (;;) {
        const lines = await queue.take(options.batchLines, ctx.signal);
        if (lines.length === 0) break;
        const entries: RawLine[] = lines.map((text) => ({ kind: "line", text }));
        const cursor = cursorOf(lines[lines.length - 1]!);
        yield { entries, ack: cursor === undefined ? undefined : () => ((saved = cursor), queueMicrotask(save)) };
      }
      if (ctx.signal.aborted) return;
      const code = await queue.exitCode;
      if (code === 0) {
        for (const warning of queue.stderrLines()) ctx.log.warn(`journalctl: ${warning}`);
        return;
      }
      if (/Failed to seek to cursor/.test(queue.stderr)) throw new Error(`the journal cursor saved in ${statePath} is not in this journal; delete that file to start over`);
      throw new Error(`${opts.journalctl} exited with code ${code}: ${firstLine(queue.stderr) || "(no message)"}`);
    } finally {
      ctx.signal.removeEventListener("abort", stop);
      stop();
    }
  }

  return {
    batches,
    close() {
      child?.kill("SIGTERM");
      save();
    },
  };
}

export const journal = definePlugin({
  kind: "source",
  name: "journal",
  description: "Follows the systemd journal (journalctl -f -o json) and emits its entries, for the journald parser",
  schema: journalSchema,
  create: createJournal,
});
