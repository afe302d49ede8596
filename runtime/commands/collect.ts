/**
 * `logsim collect`: follows log files into collected_logs/collected.jsonl. It
 * builds the pipeline a config would (tail -> parser -> filter -> tag -> jsonl)
 * and runs it with the ordinary runner; it only adds progress and a summary on
 * stderr. Without --input it runs the config's `collect` pipeline.
 */
import { err, ok, type Result } from "neverthrow";
import { basename, dirname, extname, join, resolve } from "node:path";
import { createApp, type App } from "../../core/app.ts";
import { loadConfig } from "../../core/config/load.ts";
import { pipelineSettings } from "../../core/config/schema.ts";
import { validateConfig, type ResolvedConfig } from "../../core/config/validate.ts";
import { formatError, formatIssue, type ConfigIssue, type LogsimError } from "../../core/errors.ts";
import type { TailedFile } from "../../plugins/tail/events.ts";
import type { Runtime } from "../../core/runtime.ts";
import type { TailStats } from "../../plugins/tail/tailer.ts";
import { sortInputs, type CollectInputs } from "./_collect-inputs.ts";
import { configOption, outputError, reportFailures, type Command, type OptionSpec, type ParsedArgs } from "./command.ts";
import { explainLines, firstLines, timezoneProblem } from "./explain.ts";
import { formatBytes, formatCount, formatEta } from "./format-numbers.ts";
import { formatRecovered, untilSignal } from "./run.ts";

const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? "" : "s"}`;

const PARSERS = ["auto", "json", "plain-text", "logfmt", "csv", "apache", "apache-error", "nginx", "nginx-error", "syslog", "journald", "python", "java", "ruby", "klog", "postgresql", "mysql", "redis", "winston-text", "logcat", "windows-cbs", "bluegene-ras", "thunderbird", "lanl-hpc", "hdfs", "healthapp", "proxifier", "timestamped", "docker", "cri", "container"];
/** Parsers that decode a container's lines: the content is then read by `auto`. */
const DECODERS = new Set(["docker", "cri", "container"]);

const str = (description: string, value: string, short?: string, multiple = false): OptionSpec => ({ type: "string", description, value, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) });

const options: Record<string, OptionSpec> = {
  input: str("Glob of files to follow, e.g. 'logs/*.log' (repeatable; quote it); - reads stdin, as do a FIFO's path and /dev/stdin", "GLOB", "i", true),
  output: str("JSONL file to append to (default collected_logs/collected.jsonl); - writes to stdout", "FILE", "o"),
  parser: str(`Line format: ${PARSERS.join(", ")} (default auto)`, "NAME", "p"),
  filter: str("Keep only lines matching this regex (repeatable: all must match)", "REGEX", "f", true),
  tag: str("Add tag NAME to lines matching REGEX (repeatable; default: built-in auth, payment, api)", "NAME=REGEX", "t", true),
  exclude: str("Glob of files never to read (repeatable)", "GLOB", "x", true),
  redact: { type: "boolean", description: "Replace secrets and personal data (session tokens, emails, card numbers, passwords, bearer tokens, JWTs) before writing" },
  "from-beginning": { type: "boolean", description: "Read files already there from their start (default: from their end)" },
  once: { type: "boolean", description: "Read everything to the end, then exit (batch mode; implies --from-beginning)" },
  "state-dir": str("Folder of saved positions (default .logsim/state)", "DIR"),
  multiline: str("Join the lines of one event into one entry: python, java, go, node, csv, cri, docker (comma-separated to combine, e.g. cri,python)", "MODES", "m"),
  deadletter: str("File for lines no parser understands (default beside the output: OUTPUT-NAME.deadletter.jsonl; with -o -, collected_logs/collect.deadletter.jsonl)", "FILE"),
  "on-parse-error": str("deadletter (default), drop or pass (tagged _parse_error); always counted", "MODE"),
  timezone: str('Zone of timestamps written without one: local (default), UTC, +05:30, or an IANA name', "ZONE"),
  explain: str("Show, for the first lines of FILE, which format auto picks, what it extracts and why the others refuse the line; then exit", "FILE"),
  lines: str("How many lines --explain shows (default 20)", "N"),
  workers: str("Threads that parse, filter, tag and encode lines beside the one that reads and writes (default 0: one thread for all); order and positions are kept", "N", "w"),
  quiet: { type: "boolean", short: "q", description: "No progress or summary on stderr" },
  config: configOption,
};

type Values = ParsedArgs["values"];
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
/**
 * `--multiline cri,python`: the modes, checked by the tail source's schema. Without it, `--parser
 * csv`, `cri` and `docker` join what their format splits (quoted line breaks, partial lines).
 */
const multiline = (values: Values, parser: string) => {
  const modes = list(values.multiline).flatMap((v) => v.split(",")).map((m) => m.trim()).filter(Boolean);
  if (modes.length === 0 && (parser === "csv" || parser === "cri" || parser === "docker")) modes.push(parser);
  return modes.length > 0 ? { multiline: modes } : {};
};

/** `--workers N` as the pipeline setting; the schema checks the number (a word becomes NaN, which it refuses). */
const workersSetting = (values: Values) => (values.workers === undefined ? {} : { workers: /^\s*$/.test(String(values.workers)) ? NaN : Number(values.workers) });

/** Where dead letters go by default: beside the output (`out/x.jsonl` -> `out/x.deadletter.jsonl`). */
export function deadletterBeside(output: string): string {
  return join(dirname(output), `${basename(output, extname(output))}.deadletter.jsonl`);
}

/**
 * The collect pipeline as plain data (`{ use, ...options }`), from the flags; or every problem with them.
 * `inputs` sorts --input into globs and streams (see sortInputs); without it every input is a glob.
 */
export function collectPipeline(values: Values, inputs?: CollectInputs): Result<Record<string, unknown>, string[]> {
  const problems: string[] = [];
  const include = inputs?.globs ?? list(values.input);
  const streams = inputs?.streams ?? [];
  const parser = (values.parser as string | undefined) ?? "auto";
  if (!PARSERS.includes(parser)) problems.push(`--parser: expected one of ${PARSERS.join(", ")}, got "${parser}"`);
  const rules = list(values.tag).map((spec) => {
    const eq = spec.indexOf("=");
    if (eq <= 0) problems.push(`--tag: expected NAME=REGEX, got "${spec}"`);
    return { tag: spec.slice(0, eq), match: spec.slice(eq + 1) };
  });
  const mode = values["on-parse-error"] as string | undefined;
  const zone = values.timezone ? { timezone: values.timezone } : {};
  if (problems.length > 0) return err(problems);
  const output = (values.output as string | undefined) ?? "collected_logs/collected.jsonl";
  // Beside the output, not in the working folder: `-o /data/x.jsonl` leaves nothing in collected_logs/.
  const deadletter = (values.deadletter as string | undefined) ?? (values.output !== undefined && output !== "-" ? deadletterBeside(output) : undefined);
  return ok({
    sources: [
      ...(include.length > 0 || streams.length === 0 ? [{ use: "tail", include, exclude: list(values.exclude), fromBeginning: Boolean(values["from-beginning"]), once: Boolean(values.once), ...(values["state-dir"] ? { stateDir: values["state-dir"] } : {}), ...multiline(values, parser) }] : []),
      ...streams.map((s) => (s === "-" ? { use: "stdin" } : { use: "stdin", path: s })),
    ],
    parsers: DECODERS.has(parser) ? [{ use: parser }, { use: "auto", ...zone }] : [{ use: parser, ...zone }],
    transforms: [...list(values.filter).map((match) => ({ use: "filter", match })), rules.length > 0 ? { use: "tag", rules } : { use: "tag", builtin: true }, ...(values.redact ? [{ use: "redact" }] : [])],
    sinks: [{ use: "jsonl", path: output }],
    // The files are the buffer: a deep queue of read-ahead batches only holds memory (collect --once
    // on 1M lines peaked at 110 MiB on Bun with 2 batches, 123 MiB with the default 16).
    channel: { capacity: 2 },
    ...workersSetting(values),
    ...(deadletter ? { deadletter } : {}),
    ...(mode ? { onParseError: mode } : {}),
  });
}

/** What the collector has done so far, from the bus and the counters. */
class Tally {
  stats: TailStats | undefined;
  files: readonly TailedFile[] = [];
  filesSeen = false;
  readonly parseErrors = new Map<string, number>();
  parseErrorCount = 0;
  constructor(readonly app: App) {
    app.bus.on("tail:stats", (e) => (this.stats = e.stats));
    app.bus.on("tail:files", (e) => {
      this.files = e.files;
      this.filesSeen = true;
    });
    app.bus.on("record:parse-failed", (e) => {
      this.parseErrorCount++;
      const key = `${e.file ?? "?"}: ${e.reason}`;
      this.parseErrors.set(key, (this.parseErrors.get(key) ?? 0) + 1);
    });
  }
  counter(kind: string, what: "received" | "emitted" | "dropped" | "errors"): number {
    return this.app.pipelines().flatMap((p) => p.plugins).filter((p) => p.kind === kind).reduce((n, p) => n + p.counters[what], 0);
  }
  /** Bytes read and to read, from the last tail:files (about once a second; undefined before the first). */
  bytes(): { done: number; total: number } | undefined {
    if (!this.filesSeen) return undefined;
    const done = this.files.reduce((n, f) => n + f.position, 0);
    return { done, total: done + this.files.reduce((n, f) => n + f.lag, 0) };
  }
  /**
   * The progress line. Lines and writes come from the counters, live; files and bytes from
   * the tail's last report, left out until there is one (it was "0 files" at first).
   * `once`: reading a backlog to its end, so bytes done / total and an ETA from `bytesPerS`.
   */
  progress(linesPerS: number, once: boolean, bytesPerS: number | undefined): string {
    const parts: string[] = [];
    const bytes = this.bytes();
    if (bytes && once) {
      const percent = bytes.total > 0 ? Math.floor((bytes.done * 100) / bytes.total) : 100;
      parts.push(`${formatBytes(bytes.done)} / ${formatBytes(bytes.total)} (${percent}%)`);
      if (bytesPerS && bytesPerS > 0) parts.push(`ETA ${formatEta((bytes.total - bytes.done) / bytesPerS)}`);
    } else if (bytes) parts.push(plural(this.files.length, "file"));
    parts.push(`${formatCount(this.counter("source", "emitted"))} lines`, `${formatCount(linesPerS)} lines/s`);
    if (bytes && !once) parts.push(`lag ${formatBytes(bytes.total - bytes.done)}`);
    parts.push(`written ${formatCount(this.counter("sink", "emitted"))}`, `parse errors ${formatCount(this.parseErrorCount)}`);
    return `collect: ${parts.join(" · ")}`;
  }
  summary(deadletter: string | undefined): string[] {
    const s = this.stats;
    const lines = [
      `collect: read ${formatCount(s?.lines ?? 0)} lines (${formatBytes(s?.bytes ?? 0)}) from ${plural(s?.filesOpened ?? 0, "file")}; wrote ${formatCount(this.counter("sink", "emitted"))}; filtered out ${formatCount(this.counter("transform", "dropped"))}; parse errors ${formatCount(this.parseErrorCount)}`,
    ];
    if (s) {
      lines.push(`collect: ${s.rotations} rotated or removed, ${s.truncations} truncated (${s.copiesFollowed} read on from their copy; ${formatBytes(s.bytesLost)} lost before they could be read), ${s.truncatedLines} lines over the length limit, ${s.partialLines} partial last lines, ${s.replayed} lines possibly written twice after a restart`);
      if (s.leftUnfinished > 0) lines.push(`collect: ${s.leftUnfinished} last line${s.leftUnfinished === 1 ? "" : "s"} without a newline left for the next run (a line is read once it is whole, or once its file is rotated away)`);
      if (s.joinedEvents > 0 || s.cutEvents > 0) lines.push(`collect: ${s.joinedLines} lines joined into ${s.joinedEvents} multiline events, ${s.cutEvents} events cut at their line or byte limit`);
      if (s.missingFiles > 0) lines.push(`collect: ${s.missingFiles} files with a saved position were gone at start`);
      if (s.deferredFiles > 0 || s.filesParked > 0) lines.push(`collect: ${s.deferredFiles} files still waiting for a file handle (maxOpenFiles or the system's limit); ${s.filesParked} times a file read to its end was closed to make room`);
      const unreadable = this.files.filter((f) => f.state === "unreadable");
      for (const f of unreadable.slice(0, 20)) lines.push(`collect: cannot read ${f.path} (${f.error ?? "unreadable"}): not collected`);
      if (unreadable.length > 20) lines.push(`collect: ... and ${unreadable.length - 20} more files that cannot be read`);
      if (s.truncatedWhileDown > 0) lines.push(`collect: ${s.truncatedWhileDown} files were truncated or replaced while the collector was down, with no copy beside them: what they held past their saved position is lost (amount unknown)`);
    }
    for (const [key, n] of [...this.parseErrors].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  parse errors: ${n} x ${key}`);
    if (this.parseErrorCount > 0 && deadletter) lines.push(`  lines that did not parse are in ${deadletter}`);
    return lines;
  }
}

async function configFor(values: Values, runtime: Runtime, ctx: Parameters<Command["run"]>[1]): Promise<Result<ResolvedConfig, LogsimError>> {
  if (list(values.input).length === 0) {
    const loaded = await loadConfig(runtime, ctx.registry, values.config as string | undefined);
    if (loaded.isErr()) return err(loaded.error);
    const collect = loaded.value.config.pipelines.find((p) => p.name === "collect");
    if (!collect) return err({ kind: "cli.usage", message: `No --input given and ${loaded.value.path} has no "collect" pipeline` });
    if (values.redact && !collect.transforms.some((t) => t.definition.name === "redact")) return err({ kind: "cli.usage", message: `--redact applies to --input; without it the "collect" pipeline of ${loaded.value.path} runs as written: add redact() to its transforms` });
    const workers = values.workers === undefined ? collect.workers : pipelineSettings.shape.workers.safeParse(workersSetting(values).workers);
    if (typeof workers !== "number" && !workers.success) return err({ kind: "cli.usage", message: `--workers ${JSON.stringify(values.workers)}: ${workers.error.issues[0]!.message}` });
    return ok({ ...loaded.value.config, pipelines: [{ ...collect, workers: typeof workers === "number" ? workers : workers.data }], services: [] });
  }
  const cwd = runtime.cwd();
  const inputs = sortInputs(list(values.input), list(values.exclude), runtime.fs, cwd);
  const pipeline = collectPipeline(values, inputs);
  if (pipeline.isErr()) return err({ kind: "cli.usage", message: pipeline.error.join("\n") });
  // The pipeline came from flags: name the flag the user typed, not a path inside a config they never wrote.
  const validated = validateConfig({ pipelines: { collect: pipeline.value } }, { registry: ctx.registry, normalizePath: (p) => resolve(cwd, p) }).mapErr((e): LogsimError => (e.kind === "config.invalid" ? { kind: "cli.usage", message: e.issues.map((i) => flagIssue(i, values)).join("\n") } : e));
  if (validated.isOk() && inputs.unmatched.length > 0) {
    // Batch mode with nothing to read is an error; a follower waits: the files may appear later.
    if (values.once && inputs.unmatched.length === inputs.globs.length && inputs.streams.length === 0) return err({ kind: "input.invalid", message: inputs.unmatched.join("\n") });
    for (const line of inputs.unmatched) await runtime.stderr.write(`warning: ${line}${values.once ? "" : " (yet: following it for files that appear)"}\n`);
  }
  return validated;
}

/** A problem in the pipeline built from the flags, as the flag and value the user typed. */
function flagIssue(issue: ConfigIssue, values: Values): string {
  const index = Number(/\[(\d+)\]$/.exec(issue.path)?.[1] ?? 0);
  const role = /\.(\w+)\[\d+\]$/.exec(issue.path)?.[1];
  const rule = Number(/^rules\[(\d+)\]/.exec(issue.option ?? "")?.[1] ?? 0);
  const [flag, value] =
    issue.plugin === "filter" ? ["filter", list(values.filter)[index]]
    : issue.plugin === "tag" ? ["tag", list(values.tag)[rule]]
    : role === "parsers" ? (issue.option === "timezone" ? ["timezone", values.timezone] : ["parser", values.parser])
    : role === "sinks" ? ["output", values.output]
    : role === "sources" ? ({ include: ["input", undefined], exclude: ["exclude", undefined], stateDir: ["state-dir", values["state-dir"]] } as Record<string, [string, unknown]>)[(issue.option ?? "").replace(/\[\d+\]$/, "")] ?? ["input", undefined]
    : issue.path.endsWith(".onParseError") ? ["on-parse-error", values["on-parse-error"]]
    : issue.path.endsWith(".deadletter") ? ["deadletter", values.deadletter]
    : issue.path.endsWith(".workers") ? ["workers", values.workers]
    : [undefined, undefined];
  if (!flag) return formatIssue(issue);
  return `--${flag}${typeof value === "string" ? ` ${JSON.stringify(value)}` : ""}: ${issue.message}`;
}

export const collectCommand: Command = {
  name: "collect",
  summary: "Follow log files, parse, filter and tag their lines into collected_logs/collected.jsonl",
  details: [
    "Example:",
    "  logsim collect --input 'logs/*.log' --filter 'ERROR|payment' --tag auth='login|logout|session' --tag payment='payment|charge|refund'",
    "Runs until Ctrl-C or SIGTERM, then flushes, saves positions and exits 0. A restart resumes where the last written line ended.",
  ].join("\n"),
  options,
  async run({ values }, ctx) {
    const { runtime } = ctx;
    if (values.explain !== undefined) return explain(values, runtime);
    const config = await configFor(values, runtime, ctx);
    if (config.isErr()) return err(config.error);
    const app = createApp(config.value, { runtime });
    const stderr = (line: string) => void runtime.stderr.write(`${line}\n`);
    const quiet = Boolean(values.quiet);
    const tally = new Tally(app);
    const startSettled = reportFailures(app, (_, error) => formatError(error).forEach((l) => stderr(`collect failed: ${l}`)));
    app.bus.on("plugin:error", ({ error }) => formatError(error).forEach((l) => stderr(`warning: ${l}`)));
    app.bus.on("sink:recovered", (e) => stderr(formatRecovered(e)));
    const signals = untilSignal(runtime, () => {
      stderr("Second signal: exiting without flushing.");
      runtime.exit(130);
    });
    const tty = !quiet && runtime.stderr.isTTY; // quiet first: reading isTTY makes stderr (a WriteStream, ~10 ms on Bun)
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      const started = await app.start();
      ctx.releaseThreads?.(); // The pipeline has taken the threads it parses with (core/parallel/prestart.ts): a follower keeps no idle ones.
      startSettled(started.isErr() ? started.error : undefined);
      if (started.isErr()) return err(list(values.input).length > 0 ? outputError(started.error, (values.output as string | undefined) ?? "collected_logs/collected.jsonl", config.value) : started.error);
      if (tty) {
        const once = config.value.pipelines[0]?.sources.some((s) => s.definition.name === "tail" && (s.options as { once?: boolean }).once) ?? false;
        const startedAt = performance.now();
        let last = { t: startedAt, lines: 0 };
        timer = setInterval(() => {
          const now = { t: performance.now(), lines: tally.counter("source", "emitted") };
          const linesPerS = ((now.lines - last.lines) * 1000) / Math.max(1, now.t - last.t);
          last = now;
          // The ETA's rate: bytes read this run over the time since start, steadier than one second's.
          const bytesPerS = tally.stats ? (tally.stats.bytes * 1000) / Math.max(1, now.t - startedAt) : undefined;
          void runtime.stderr.write(`\r\x1b[2K${tally.progress(linesPerS, once, bytesPerS)}`);
        }, 1000);
      }
      const reason = await Promise.race([signals.promise, app.finished.then(() => "done")]);
      const stopped = await app.stop();
      const failures = [...(await app.finished), ...(stopped.isErr() ? stopped.error : [])];
      if (timer) void runtime.stderr.write("\r\x1b[2K");
      if (!quiet) {
        if (reason !== "done") stderr(`collect: stopped on ${reason}`);
        tally.summary(config.value.pipelines[0]?.deadletter).forEach(stderr);
      }
      return ok(failures.length > 0 ? 1 : 0);
    } finally {
      if (timer) clearInterval(timer);
      signals.dispose();
    }
  },
};

async function explain(values: Values, runtime: Runtime): Promise<Result<number, LogsimError>> {
  const count = values.lines === undefined ? 20 : Number(values.lines);
  const problems = [
    ...(!Number.isInteger(count) || count < 1 ? [`--lines: expected a positive integer, got "${String(values.lines)}"`] : []),
    ...[timezoneProblem(values.timezone as string | undefined)].filter((p): p is string => p !== undefined),
  ];
  if (problems.length > 0) return err({ kind: "cli.usage", message: problems.join("\n") });
  const path = resolve(runtime.cwd(), String(values.explain));
  const lines = firstLines(runtime.fs, path, count);
  if (typeof lines === "string") return err({ kind: "input.invalid", message: lines });
  const text = explainLines(lines, { now: Date.now(), timezone: values.timezone as string | undefined });
  await runtime.stdout.write(`${text.join("\n")}\n`);
  return ok(0);
}
