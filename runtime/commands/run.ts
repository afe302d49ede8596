import { err, ok } from "neverthrow";
import { createApp, type App } from "../../core/app.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import { findConfigFile, loadConfig } from "../../core/config/load.ts";
import { formatError } from "../../core/errors.ts";
import type { LogsimEvents } from "../../core/events.ts";
import type { Runtime } from "../../core/runtime.ts";
import { configOption, reportFailures, type Command } from "./command.ts";
import { createReloader } from "./_reloader.ts";
import { watchConfig } from "./_watch-config.ts";
import { formatCount } from "./format-numbers.ts";

/** The line for a sink that works again (its failure was printed as a warning when it began). */
export function formatRecovered(e: LogsimEvents["sink:recovered"]): string {
  return `recovered: ${e.plugin} writes again after ${(e.ms / 1000).toFixed(1)} s (${e.retries} ${e.retries === 1 ? "retry" : "retries"})`;
}

/**
 * Resolves on the first SIGINT or SIGTERM; a second one exits at once. A signal within
 * `sameWithinMs` of the first counts as the same one: Ctrl-C under `deno task` reaches the
 * process twice, from the terminal and forwarded by the task runner, microseconds apart.
 * `clock` tells the time between signals (tests pass a fake one).
 */
export function untilSignal(runtime: Runtime, onSecond: () => void, sameWithinMs = 250, clock: Pick<Clock, "monotonic"> = systemClock): { promise: Promise<string>; dispose: () => void } {
  let first: number | undefined;
  let resolve!: (signal: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  const handler = (signal: string) => () => {
    const now = clock.monotonic();
    if (first === undefined) {
      first = now;
      resolve(signal);
    } else if (now - first >= sameWithinMs) onSecond();
  };
  const offs = [runtime.onSignal("SIGINT", handler("SIGINT")), runtime.onSignal("SIGTERM", handler("SIGTERM"))];
  return { promise, dispose: () => offs.forEach((off) => off()) };
}

/**
 * One line per pipeline: what its sources emitted and its sinks wrote, what its filters
 * removed ("filtered out": asked for, not lost), what else was dropped (a full channel
 * with drop-newest, blank lines, unparsed lines with onParseError "drop") and errors.
 */
export function summary(app: App): string[] {
  return app.pipelines().map((p) => {
    const sum = (kinds: string[], key: "emitted" | "dropped" | "errors") => p.plugins.filter((x) => kinds.includes(x.kind)).reduce((n, x) => n + x.counters[key], 0);
    const all = ["source", "parser", "transform", "sink"];
    const sinks = p.plugins.filter((x) => x.kind === "sink").map((x) => `${x.name} ${formatCount(x.counters.emitted)}`).join(", ");
    const dropped = sum(["source", "parser", "sink"], "dropped");
    return `  ${p.name} (${p.state}): ${formatCount(sum(["source"], "emitted"))} read; written: ${sinks}; filtered out ${formatCount(sum(["transform"], "dropped"))}${dropped > 0 ? `; dropped ${formatCount(dropped)}` : ""}; errors ${formatCount(sum(all, "errors"))}`;
  });
}

export const runCommand: Command = {
  name: "run",
  summary: "Run the pipelines and services of a config until Ctrl-C (the default command)",
  details: "With --watch, or on SIGHUP, the config is loaded again when it changes: only the pipelines and services whose plugins or settings changed restart; an invalid config is reported and the running one kept.",
  options: {
    config: configOption,
    watch: { type: "boolean", short: "w", description: "Reload the config when the file changes (SIGHUP reloads too)" },
  },
  async run({ values }, { runtime, registry }) {
    // Read before loading: a change made while it loads is then seen by --watch.
    const text = runtime.fs.readText(findConfigFile(runtime, values.config as string | undefined));
    const loaded = await loadConfig(runtime, registry, values.config as string | undefined);
    if (loaded.isErr()) return err(loaded.error);
    const { config, path } = loaded.value;
    const app = createApp(config, { runtime });
    const stderr = (line: string) => void runtime.stderr.write(`${line}\n`);
    const startSettled = reportFailures(app, (pipeline, error) => formatError(error).forEach((l) => stderr(`pipeline ${pipeline} failed: ${l}`)));
    app.bus.on("plugin:error", ({ error }) => formatError(error).forEach((l) => stderr(`warning: ${l}`)));
    app.bus.on("sink:recovered", (e) => stderr(formatRecovered(e)));
    const signals = untilSignal(runtime, () => {
      stderr("Second signal: exiting without flushing.");
      runtime.exit(130);
    });
    const reloader = createReloader(app, { runtime, registry, path, print: stderr });
    const offHangup = runtime.onSignal("SIGHUP", () => reloader.request());
    let unwatch = () => {};
    try {
      const started = await app.start();
      startSettled(started.isErr() ? started.error : undefined);
      if (started.isErr()) return err(started.error);
      if (values.watch) unwatch = watchConfig(runtime, path, text, () => reloader.request(), { clock: systemClock });
      const names = config.pipelines.map((p) => p.name).join(", ");
      stderr(`logsim: running ${names || "no pipelines"} from ${path} on ${runtime.name} ${runtime.version}; ${values.watch ? "watching it for changes; " : ""}Ctrl-C to stop`);
      // With services (the web interface) or --watch the app runs until a signal; without, until every source has ended.
      const ended = config.services.length > 0 || values.watch ? new Promise<never>(() => {}) : app.finished;
      const reason = await Promise.race([signals.promise, ended.then(() => "done")]);
      unwatch();
      offHangup();
      await reloader.idle();
      const stopped = await app.stop();
      const failures = [...(await app.finished), ...(stopped.isErr() ? stopped.error : [])];
      if (reason !== "done") stderr(`logsim: stopped on ${reason}`);
      for (const line of summary(app)) stderr(line);
      return ok(failures.length > 0 ? 1 : 0);
    } finally {
      unwatch();
      offHangup();
      signals.dispose();
    }
  },
};
