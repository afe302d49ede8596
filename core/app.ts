/**
 * The running app: every pipeline of a resolved config plus its services.
 * Services start first and stop last, so an observer (the web interface)
 * sees the whole run.
 */
import { err, ok, type Result } from "neverthrow";
import { resolve } from "node:path";
import { createBus, type Bus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import { plainConfig } from "./config/plain.ts";
import type { ResolvedConfig, ResolvedPlugin } from "./config/validate.ts";
import type { LogsimError } from "./errors.ts";
import { createCounters } from "./metrics.ts";
import { PipelineRunner } from "./pipeline.ts";
import type { AppView, PluginContext, Service } from "./plugin.ts";
import type { Runtime } from "./runtime.ts";
import { callHook } from "./_hooks.ts";

export interface AppOptions {
  runtime: Runtime;
  bus?: Bus;
  clock?: Clock;
}

export interface App extends AppView {
  readonly bus: Bus;
  start(): Promise<Result<void, LogsimError>>;
  /** Stops pipelines (sources first), then services. Idempotent. Returns every error met. */
  stop(): Promise<Result<void, LogsimError[]>>;
  /** Resolves when every pipeline has ended, with the errors of those that failed. */
  readonly finished: Promise<LogsimError[]>;
}

/** What a pipeline writes, resolved against `cwd` the way the config loader compares paths. */
export function pipelineOutputs(config: ResolvedConfig, name: string, cwd: string): string[] {
  const pipeline = config.pipelines.find((p) => p.name === name);
  if (!pipeline) return [];
  const files = [...pipeline.sources, ...pipeline.sinks].flatMap((p) => p.definition.writes?.(p.options as never) ?? []);
  if (pipeline.onParseError === "deadletter" && pipeline.deadletter) files.push(pipeline.deadletter);
  return files.map((file) => resolve(cwd, file));
}

export function createApp(config: ResolvedConfig, options: AppOptions): App {
  const runtime = options.runtime;
  const clock = options.clock ?? systemClock;
  const bus = options.bus ?? createBus((error, event) => void runtime.stderr.write(`listener of ${String(event)} threw: ${String(error)}\n`));
  const plain = plainConfig(config);
  const view: AppView = { pipelines: () => runners, config: () => plain, outputs: (name) => pipelineOutputs(config, name, runtime.cwd()) };
  const deps = { bus, runtime, clock, hookTimeoutMs: config.hookTimeoutMs, app: view };
  const runners = config.pipelines.map((p) => new PipelineRunner(p, deps));
  const services: Array<{ plugin: ResolvedPlugin<"service">; instance: Service; abort: AbortController }> = [];
  const finished = Promise.all(runners.map((r) => r.done)).then((results) => results.flatMap((r) => (r.isErr() ? [r.error] : [])));
  let stopping: Promise<Result<void, LogsimError[]>> | undefined;
  // Counters go out once a second on the app's clock (a test's fake clock included) from start until the pipelines end or stop.
  const metrics = new AbortController();
  void finished.then(() => metrics.abort());

  const target = (p: ResolvedPlugin) => ({ id: p.id, name: p.definition.name });

  async function start(): Promise<Result<void, LogsimError>> {
    void publishSnapshots(bus, clock, runners, metrics.signal);
    for (const plugin of config.services) {
      const abort = new AbortController();
      const log = (text: string) => void runtime.stderr.write(`[${plugin.definition.name}] ${text}\n`);
      const ctx: PluginContext = { id: plugin.id, pipeline: undefined, bus, runtime, clock, signal: abort.signal, counters: createCounters(), app: view, log: { info: log, warn: log } };
      const created = await callHook(target(plugin), "create", config.hookTimeoutMs, () => plugin.definition.create(plugin.options as never, ctx));
      if (created.isErr()) return fail(created.error);
      const instance = created.value as Service;
      services.push({ plugin, instance, abort });
      const started = await callHook(target(plugin), "start", config.hookTimeoutMs, () => instance.start());
      if (started.isErr()) return fail(started.error);
    }
    for (const runner of runners) {
      const started = await runner.start();
      if (started.isErr()) return fail(started.error);
    }
    return ok(undefined);
  }

  async function fail(error: LogsimError): Promise<Result<void, LogsimError>> {
    await stop();
    return err(error);
  }

  function stop(): Promise<Result<void, LogsimError[]>> {
    stopping ??= (async () => {
      const errors: LogsimError[] = [];
      metrics.abort();
      const results = await Promise.all(runners.map((r) => r.stop()));
      for (const r of results) if (r.isErr()) errors.push(r.error);
      for (const service of services.reverse()) {
        service.abort.abort();
        const stopped = await callHook(target(service.plugin), "stop", config.hookTimeoutMs, () => service.instance.stop());
        if (stopped.isErr()) errors.push(stopped.error);
      }
      return errors.length ? err(errors) : ok(undefined);
    })();
    return stopping;
  }

  return { bus, start, stop, finished, pipelines: view.pipelines, config: view.config, outputs: view.outputs };
}

const SNAPSHOT_INTERVAL_MS = 1000;

/** Emits `metrics:snapshot` every SNAPSHOT_INTERVAL_MS while anyone listens, until `signal` aborts. */
async function publishSnapshots(bus: Bus, clock: Clock, runners: PipelineRunner[], signal: AbortSignal): Promise<void> {
  while (await clock.sleep(SNAPSHOT_INTERVAL_MS, signal)) {
    if (!bus.has("metrics:snapshot")) continue;
    const pipelines = runners.map((r) => ({ name: r.name, state: r.state, plugins: r.plugins.map((p) => ({ ...p, counters: { ...p.counters } })) }));
    bus.emit("metrics:snapshot", { at: clock.now(), pipelines });
  }
}
