/**
 * The `tail` source: follows files matching globs, in real time or once to
 * their end, and saves each file's position when the sinks have written its
 * lines, so a restart (even after kill -9) resumes without losing a line.
 */
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { definePlugin, duration, filePath, linesIn, positiveInt, stateFile, syncState, type Batch, type PluginContext, type Source } from "../../core/mod.ts";
import { loadState, saveState } from "./checkpoint.ts";
import type {} from "./events.ts"; // Declares the events this source emits.
import { compileGlob } from "./glob.ts";
import { compileMultiline, multilineOption } from "./multiline.ts";
import { Tailer, type TailStats } from "./tailer.ts";
import { PacedSave } from "./paced-save.ts";
import { HINT_GAP_MS, Waker } from "./waker.ts";

const globs = z.union([z.string().min(1, "expected a non-empty glob"), z.array(z.string().min(1, "expected a non-empty glob")).min(1, "expected at least one glob")], {
  error: "expected a glob such as \"logs/*.log\" or an array of globs",
});

export const tailSchema = z.strictObject({
  include: globs.describe("Glob(s) of the files to follow: *, ?, [abc], {a,b}, ** (relative to the working folder)"),
  exclude: z.array(z.string()).default([]).describe("Globs of files never to read"),
  fromBeginning: z.boolean({ error: "expected true or false" }).default(false).describe("Read files already there from their start (default: from their end; new files always from their start)"),
  once: z.boolean({ error: "expected true or false" }).default(false).describe("Read every file to its end, then stop (batch mode; implies fromBeginning for files with no saved position)"),
  stateDir: filePath().default(".logsim/state").describe("Folder of the saved positions"),
  maxLineBytes: positiveInt().default(1_048_576).describe("Longer lines are cut to this many bytes and flagged truncated"),
  pollInterval: duration().prefault("1s").describe("How often the globs are listed again, besides file-system events"),
  linger: duration({ allowZero: true })
    .prefault(0)
    .describe("After a batch of fewer than batchLines, wait this long before reading again: a trickle of lines then makes one batch (one flush, one position save) per linger instead of one per line. Less CPU at low rates, that much more latency; 0 (default) reads as soon as a line arrives"),
  batchLines: positiveInt().default(1000).describe("Most lines per batch"),
  batchBytes: positiveInt()
    .optional()
    .describe("Most bytes per batch (about; a batch ends after the chunk that reaches it). With the channel capacity, this bounds the lines in flight. Default 64 KiB; 128 KiB when the pipeline parses in worker threads (`workers`), where each batch is a message to a thread and back"),
  maxOpenFiles: positiveInt().default(512).describe("Most files held open at once: past it, files read to their end are closed and reopened when they change, and new files wait (lowered by itself if the system's limit is lower)"),
  multiline: multilineOption(),
});

export type TailOptions = z.output<typeof tailSchema>;

/**
 * The first poll after lines came (then 2x per empty read, up to the idle poll): a lost watch hint
 * costs at most about this. Measured at 50 lines/s: starting at 2 ms (three empty reads between
 * lines) took the collector on Node from 7.9% to 11.4% of a core; 10 ms makes one.
 */
const ACTIVE_POLL_MS = 10;

/**
 * The files this source's own pipeline writes (its sinks, its dead-letter file), from the
 * validated options with their defaults: never read, whatever the globs say, or the collector
 * would feed on its own output. Files other pipelines write (the rotating log the generator
 * fills) are what it is there to read.
 */
const ownOutputs = (ctx: PluginContext): string[] => (ctx.pipeline ? ctx.app.outputs(ctx.pipeline) : []);

function createTail(options: TailOptions, ctx: PluginContext): Source {
  const { fs } = ctx.runtime;
  const cwd = ctx.runtime.cwd();
  const stateDir = isAbsolute(options.stateDir) ? options.stateDir : join(cwd, options.stateDir);
  const statePath = stateFile(ctx, stateDir);
  const loaded = loadState(fs, statePath);
  if (loaded.problem) {
    ctx.log.warn(loaded.problem);
    ctx.counters.errors++;
  }
  const include = (Array.isArray(options.include) ? options.include : [options.include]).map((g) => compileGlob(g, cwd));
  const outputs = [...ownOutputs(ctx), statePath];
  const tailer = new Tailer({
    fs, include, exclude: options.exclude.map((g) => compileGlob(g, cwd)), ignored: () => outputs,
    // A spoiled state file: from the start, at least once (see checkpoint.ts), rather than from the end.
    fromBeginning: options.fromBeginning || options.once || loaded.problem !== undefined, maxLineBytes: options.maxLineBytes, saved: loaded.state?.files,
    closeAfterMs: Math.max(1000, options.pollInterval), now: () => ctx.clock.monotonic(), maxOpenFiles: options.maxOpenFiles, ...(ctx.lineBlocks ? { lineBlocks: ctx.lineBlocks } : {}),
    ...(options.multiline ? { multiline: compileMultiline(options.multiline) } : {}),
  });
  const pipeline = ctx.pipeline ?? "";
  const sync = syncState(ctx); // Positions as durable as the lines they stand for.
  let saveFailed = false;
  let madeDir = false;
  const save = (retry = true): void => {
    try {
      if (!madeDir) fs.mkdirp(stateDir);
      madeDir = true;
      saveState(fs, statePath, tailer.saved(), sync);
      saveFailed = false;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "ENOENT" && madeDir) {
        madeDir = false; // The folder was removed under us: made again at the next save.
        if (retry) return save(false);
      }
      if (retry && (code === "EMFILE" || code === "ENFILE")) {
        // Out of descriptors: the tailer closes files read to their end, and the save gets one.
        tailer.shed();
        return save(false);
      }
      // Positions stay in memory and are saved at the next ack; a restart replays a little more.
      if (!saveFailed) ctx.log.warn(`cannot save positions to ${statePath}: ${(error as Error).message}`);
      saveFailed = true;
      ctx.counters.errors++;
    }
  };
  const saves = new PacedSave(async () => save(), ctx.clock);
  /** After an ack: a full batch (a backlog, a burst) saves at once, as ever, so a kill -9 replays no more than is in flight; a trickle's saves are paced. */
  const scheduleSave = (full: boolean) => saves.request(full);
  // Threads: half as many messages, position saves and writes. Bun, 1M-line workload, --workers 2, 4
  // alternating runs: 2.18-3.21 s against 2.70-3.82 s with 64 KiB (peak RSS 146 MiB against 137).
  const batchBytes = options.batchBytes ?? (ctx.lineBlocks ? 128 * 1024 : 64 * 1024);
  const isFull = (lines: number, bytes: number) => lines >= options.batchLines || bytes >= batchBytes;
  const report = (final: boolean) => {
    ctx.bus.emit("tail:files", { pipeline, plugin: ctx.id, files: tailer.files() });
    ctx.bus.emit("tail:stats", { pipeline, plugin: ctx.id, stats: { ...tailer.stats }, final });
  };
  const watchers = new Map<string, () => void>();
  const waker = new Waker();
  const own = new Set(outputs);
  // The sinks' own writes beside the files are no news; new content in a file followed needs only a
  // read. A name that appeared, moved or went asks for a scan, even a followed file's name: under
  // rename rotation the new file takes the old one's name before a scan has seen the rename.
  const hint = (dir: string) => (name: string | undefined, event: "rename" | "change") => {
    const path = name === undefined ? undefined : join(dir, name);
    if (path === undefined || !own.has(path)) waker.hint(event === "change" && path !== undefined && tailer.follows(path) ? "read" : "scan");
  };
  const watch = () => {
    if (options.once) return; // Read to the end and stop: no hint to wait for (a watcher cost 7% of a small run's start on Bun).
    for (const dir of tailer.directories()) if (!watchers.has(dir) && fs.stat(dir)) watchers.set(dir, fs.watchDir(dir, hint(dir)));
  };
  const scan = () => {
    if (tailer.scan()) saves.request(true);
    for (const problem of tailer.problems.splice(0)) ctx.log.warn(problem);
    watch();
  };

  async function* batches(): AsyncGenerator<Batch> {
    const { clock, signal } = ctx;
    const idleMs = Math.min(250, options.pollInterval);
    scan();
    let lastScan = clock.monotonic();
    let lastReport = lastScan;
    let idleScans = 0;
    // Watch hints can be lost: Bun's fs.watch dropped 131 of 300 appends made one after another (measured),
    // which left a line for the 250 ms poll. So after lines came, the next polls are quick, and back off.
    let pollMs = idleMs;
    let readAt = 0;
    try {
      while (!signal.aborted) {
        const now = clock.monotonic();
        if ((waker.scan && now - lastScan >= HINT_GAP_MS) || now - lastScan >= options.pollInterval) {
          waker.scan = false;
          scan();
          lastScan = now;
        }
        if (now - lastReport >= 1000) {
          report(false);
          lastReport = now;
        }
        if (now < readAt) {
          // Lingering: only a scan is due before readAt (a file created and rotated away quickly is opened in time).
          await waker.wait(Math.min(readAt, waker.scan ? lastScan + HINT_GAP_MS : readAt) - now, clock, signal, false);
          continue;
        }
        const { lines, blocks, marks, bytes } = tailer.read(options.batchLines, batchBytes);
        const count = lines.length + linesIn(blocks);
        if (count > 0) {
          idleScans = 0;
          pollMs = ACTIVE_POLL_MS;
          // Read again at once: lines that came while this batch was handed on make the next batch (under load,
          // batches grow by themselves); none, and the wait below sleeps until a hint says a file grew.
          const full = isFull(count, bytes);
          yield { entries: lines, ...(blocks.length > 0 ? { blocks } : {}), ack: () => (tailer.ack(marks), scheduleSave(full)) };
          if (options.linger > 0 && !options.once && count < options.batchLines && bytes < batchBytes) readAt = clock.monotonic() + options.linger;
          continue;
        }
        if (bytes > 0) continue; // In the middle of a long line: read on, do not wait for a poll.
        if (options.once && tailer.caughtUp) {
          // Read to the end: one more scan for files that appeared meanwhile, then the unfinished last lines.
          if (idleScans++ === 0) {
            lastScan = -Infinity;
            continue;
          }
          const rest = tailer.unfinished();
          if (rest.lines.length + rest.blocks.length > 0) yield { entries: rest.lines, ...(rest.blocks.length > 0 ? { blocks: rest.blocks } : {}), ack: () => (tailer.ack(rest.marks), scheduleSave(true)) };
          return;
        }
        await waker.wait(waker.scan ? Math.min(pollMs, HINT_GAP_MS - (clock.monotonic() - lastScan)) : pollMs, clock, signal);
        pollMs = Math.min(idleMs, pollMs * 2);
      }
    } finally {
      waker.dispose();
      for (const off of watchers.values()) off();
      watchers.clear();
    }
  }

  return {
    batches,
    async close() {
      await saves.close();
      save();
      report(true);
      tailer.close();
    },
  };
}

export const tail = definePlugin({
  kind: "source",
  name: "tail",
  description: "Follows log files matching globs (rotation, truncation, restarts) and emits their lines",
  schema: tailSchema,
  create: createTail,
});
