/**
 * `logsim collect`: follows log files into collected_logs/collected.jsonl. It
 * builds the pipeline a config would (tail -> parser -> filter -> tag -> jsonl)
 * and runs it with the ordinary runner; it only adds progress and a summary on
 * stderr. Without --input it runs the config's `collect` pipeline.
 */
import { err, ok, type Result } from "neverthrow";
import { resolve } from "node:path";
import { createApp, type App } from "../../core/app.ts";
import { loadConfig } from "../../core/config/load.ts";
import { validateConfig, type ResolvedConfig } from "../../core/config/validate.ts";
import { formatError, type LogsimError } from "../../core/errors.ts";
import type { TailedFile } from "../../core/events.ts";
import type { Runtime } from "../../core/runtime.ts";
import type { TailStats } from "../../plugins/tail/tailer.ts";
import "../../plugins/tail/tail.ts"; // Declares the tail:stats event.
import { configOption, type Command, type OptionSpec, type ParsedArgs } from "./command.ts";
import { explainLines, firstLines, timezoneProblem } from "./explain.ts";
import { untilSignal } from "./run.ts";

const PARSERS = ["auto", "json", "plain-text", "logfmt", "csv", "apache", "apache-error", "nginx", "nginx-error", "syslog", "journald", "python", "java", "ruby", "klog", "postgresql", "mysql", "redis", "winston-text", "logcat", "windows-cbs", "bluegene-ras", "thunderbird", "lanl-hpc", "hdfs", "healthapp", "proxifier", "timestamped", "docker", "cri", "container"];
/** Parsers that decode a container's lines: the content is then read by `auto`. */
const DECODERS = new Set(["docker", "cri", "container"]);

const str = (description: string, value: string, short?: string, multiple = false): OptionSpec => ({ type: "string", description, value, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) });

const options: Record<string, OptionSpec> = {
  input: str("Glob of files to follow, e.g. 'logs/*.log' (repeatable; quote it)", "GLOB", "i", true),
  output: str("JSONL file to append to (default collected_logs/collected.jsonl)", "FILE", "o"),
  parser: str(`Line format: ${PARSERS.join(", ")} (default auto)`, "NAME", "p"),
  filter: str("Keep only lines matching this regex (repeatable: all must match)", "REGEX", "f", true),
  tag: str("Add tag NAME to lines matching REGEX (repeatable; default: built-in auth, payment, api)", "NAME=REGEX", "t", true),
  exclude: str("Glob of files never to read (repeatable)", "GLOB", "x", true),
  "from-beginning": { type: "boolean", description: "Read files already there from their start (default: from their end)" },
  once: { type: "boolean", description: "Read everything to the end, then exit (batch mode; implies --from-beginning)" },
  "state-dir": str("Folder of saved positions (default .logsim/state)", "DIR"),
  multiline: str("Join the lines of one event into one entry: python, java, go, node, csv, cri, docker (comma-separated to combine, e.g. cri,python)", "MODES", "m"),
  deadletter: str("File for lines no parser understands (default collected_logs/collect.deadletter.jsonl)", "FILE"),
  "on-parse-error": str("deadletter (default), drop or pass (tagged _parse_error); always counted", "MODE"),
  timezone: str('Zone of timestamps written without one: local (default), UTC, +05:30, or an IANA name', "ZONE"),
  explain: str("Show, for the first lines of FILE, which format auto picks, what it extracts and why the others refuse the line; then exit", "FILE"),
  lines: str("How many lines --explain shows (default 20)", "N"),
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

/** The collect pipeline as plain data (`{ use, ...options }`), from the flags; or every problem with them. */
export function collectPipeline(values: Values): Result<Record<string, unknown>, string[]> {
  const problems: string[] = [];
  const include = list(values.input);
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
  return ok({
    sources: [{ use: "tail", include, exclude: list(values.exclude), fromBeginning: Boolean(values["from-beginning"]), once: Boolean(values.once), ...(values["state-dir"] ? { stateDir: values["state-dir"] } : {}), ...multiline(values, parser) }],
    parsers: DECODERS.has(parser) ? [{ use: parser }, { use: "auto", ...zone }] : [{ use: parser, ...zone }],
    transforms: [...list(values.filter).map((match) => ({ use: "filter", match })), rules.length > 0 ? { use: "tag", rules } : { use: "tag", builtin: true }],
    sinks: [{ use: "jsonl", path: (values.output as string | undefined) ?? "collected_logs/collected.jsonl" }],
    // The files are the buffer: a deep queue of read-ahead batches only holds memory (collect --once
    // on 1M lines peaked at 110 MiB on Bun with 2 batches, 123 MiB with the default 16).
    channel: { capacity: 2 },
    ...(values.deadletter ? { deadletter: values.deadletter } : {}),
    ...(mode ? { onParseError: mode } : {}),
  });
}

/** What the collector has done so far, from the bus and the counters. */
class Tally {
  stats: TailStats | undefined;
  files: readonly TailedFile[] = [];
  readonly parseErrors = new Map<string, number>();
  parseErrorCount = 0;
  constructor(readonly app: App) {
    app.bus.on("tail:stats", (e) => (this.stats = e.stats));
    app.bus.on("tail:files", (e) => (this.files = e.files));
    app.bus.on("record:parse-failed", (e) => {
      this.parseErrorCount++;
      const key = `${e.file ?? "?"}: ${e.reason}`;
      this.parseErrors.set(key, (this.parseErrors.get(key) ?? 0) + 1);
    });
  }
  counter(kind: string, what: "received" | "emitted" | "dropped" | "errors"): number {
    return this.app.pipelines().flatMap((p) => p.plugins).filter((p) => p.kind === kind).reduce((n, p) => n + p.counters[what], 0);
  }
  progress(rate: number): string {
    const lag = this.files.reduce((n, f) => n + f.lag, 0);
    return `collect: ${this.files.length} file${this.files.length === 1 ? "" : "s"}, ${this.counter("source", "emitted")} lines (${Math.round(rate)}/s), lag ${lag} B, written ${this.counter("sink", "emitted")}, parse errors ${this.parseErrorCount}`;
  }
  summary(deadletter: string | undefined): string[] {
    const s = this.stats;
    const lines = [
      `collect: read ${s?.lines ?? 0} lines (${s?.bytes ?? 0} bytes) from ${s?.filesOpened ?? 0} files; wrote ${this.counter("sink", "emitted")}; filtered out ${this.counter("transform", "dropped")}; parse errors ${this.parseErrorCount}`,
    ];
    if (s) {
      lines.push(`collect: ${s.rotations} rotated or removed, ${s.truncations} truncated (${s.copiesFollowed} read on from their copy; ${s.bytesLost} bytes lost before they could be read), ${s.truncatedLines} lines over the length limit, ${s.partialLines} partial last lines, ${s.replayed} lines possibly written twice after a restart`);
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
    return ok({ ...loaded.value.config, pipelines: [collect], services: [] });
  }
  const pipeline = collectPipeline(values);
  if (pipeline.isErr()) return err({ kind: "cli.usage", message: pipeline.error.join("\n") });
  const cwd = runtime.cwd();
  return validateConfig({ pipelines: { collect: pipeline.value } }, { registry: ctx.registry, normalizePath: (p) => resolve(cwd, p) });
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
    app.bus.on("pipeline:failed", ({ error }) => formatError(error).forEach((l) => stderr(`collect failed: ${l}`)));
    app.bus.on("plugin:error", ({ error }) => formatError(error).forEach((l) => stderr(`warning: ${l}`)));
    const signals = untilSignal(runtime, () => {
      stderr("Second signal: exiting without flushing.");
      runtime.exit(130);
    });
    const tty = runtime.stderr.isTTY && !quiet;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      const started = await app.start();
      if (started.isErr()) return err(started.error);
      if (tty) {
        let last = { t: performance.now(), lines: 0 };
        timer = setInterval(() => {
          const now = { t: performance.now(), lines: tally.counter("source", "emitted") };
          const rate = ((now.lines - last.lines) * 1000) / Math.max(1, now.t - last.t);
          last = now;
          void runtime.stderr.write(`\r\x1b[2K${tally.progress(rate)}`);
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
