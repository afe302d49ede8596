/**
 * The running app: every pipeline of a resolved config plus its services.
 * Services start first and stop last, so an observer (the web interface)
 * sees the whole run. A reload swaps only what changed.
 */
import { err, ok, type Result } from "neverthrow";
import { resolve } from "node:path";
import { createBus, type Bus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import { plainConfig } from "./config/plain.ts";
import type { ResolvedConfig, ResolvedPipeline, ResolvedPlugin } from "./config/validate.ts";
import type { LogsimError } from "./errors.ts";
import { createCounters } from "./metrics.ts";
import { PipelineRunner } from "./pipeline.ts";
import type { AppView, PluginContext, Service } from "./plugin.ts";
import { planReload, type ReloadPlan } from "./reload.ts";
import type { Runtime } from "./runtime.ts";
import { callHook } from "./_hooks.ts";

export interface AppOptions {
  runtime: Runtime;
  bus?: Bus;
  clock?: Clock;
  /** How often `metrics:snapshot` goes out while anyone listens (default 1000 ms; 0: never, for a test whose fake clock must hold only the sleeps it tests). */
  snapshotIntervalMs?: number;
}

export interface App extends AppView {
  readonly bus: Bus;
  start(): Promise<Result<void, LogsimError>>;
  /** Stops pipelines (sources first), then services. Idempotent. Returns every error met. */
  stop(): Promise<Result<void, LogsimError[]>>;
  /**
   * Applies a new config (see core/reload.ts): stops the pipelines and services that
   * changed or went (cleanly: flushed, acked, tail positions saved), starts the changed
   * and new ones; the rest keep running untouched. Reloads run one at a time. Returns
   * what it did, or the errors of what did not stop or start cleanly.
   */
  reload(config: ResolvedConfig): Promise<Result<ReloadPlan, { plan: ReloadPlan; errors: LogsimError[] }>>;
  /** Resolves when every pipeline has ended (reloads included), with the errors of those that failed. */
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

/** AppView.durable: some sink of the pipeline survives a power loss. */
export function pipelineDurable(config: ResolvedConfig, name: string): boolean {
  const pipeline = config.pipelines.find((p) => p.name === name);
  return pipeline?.sinks.some((p) => p.definition.durable?.(p.options as never) === true) ?? false;
}

interface RunningService {
  plugin: ResolvedPlugin<"service">;
  instance: Service;
  abort: AbortController;
}

export function createApp(initial: ResolvedConfig, options: AppOptions): App {
  const runtime = options.runtime;
  const clock = options.clock ?? systemClock;
  const bus = options.bus ?? createBus((error, event) => void runtime.stderr.write(`listener of ${String(event)} threw: ${String(error)}\n`));
  let config = initial;
  let plain = plainConfig(config);
  const view: AppView = { pipelines: () => runners, config: () => plain, outputs: (name) => pipelineOutputs(config, name, runtime.cwd()), durable: (name) => pipelineDurable(config, name) };
  const runnerFor = (p: ResolvedPipeline) => new PipelineRunner(p, { bus, runtime, clock, hookTimeoutMs: config.hookTimeoutMs, app: view });
  let runners = config.pipelines.map(runnerFor);
  let services: RunningService[] = [];
  /** The reload in progress, if any: `finished` waits for it before deciding that all pipelines ended. */
  let reloading: Promise<unknown> = Promise.resolve();
  const finished = (async () => {
    for (;;) {
      const current = runners;
      const results = await Promise.all(current.map((r) => r.done));
      await reloading;
      if (current === runners) return results.flatMap((r) => (r.isErr() ? [r.error] : []));
    }
  })();
  let stopping: Promise<Result<void, LogsimError[]>> | undefined;
  // Counters go out once a second on the app's clock (a test's fake clock included) from start until the pipelines end or stop.
  const metrics = new AbortController();
  void finished.then(() => metrics.abort());

  const target = (p: ResolvedPlugin) => ({ id: p.id, name: p.definition.name });

  /** Creates and starts one service; on failure it is not added (and what was created is not stopped: it never started). */
  async function startService(plugin: ResolvedPlugin<"service">): Promise<Result<void, LogsimError>> {
    const abort = new AbortController();
    const log = (text: string) => void runtime.stderr.write(`[${plugin.definition.name}] ${text}\n`);
    const ctx: PluginContext = { id: plugin.id, location: plugin.location, pipeline: undefined, bus, runtime, clock, signal: abort.signal, counters: createCounters(), app: view, log: { info: log, warn: log } };
    const created = await callHook(target(plugin), "create", config.hookTimeoutMs, () => plugin.definition.create(plugin.options as never, ctx));
    if (created.isErr()) return err(created.error);
    const instance = created.value as Service;
    services.push({ plugin, instance, abort });
    const started = await callHook(target(plugin), "start", config.hookTimeoutMs, () => instance.start());
    return started.isErr() ? err(started.error) : ok(undefined);
  }

  async function stopService(service: RunningService): Promise<LogsimError | undefined> {
    service.abort.abort();
    const stopped = await callHook(target(service.plugin), "stop", config.hookTimeoutMs, () => service.instance.stop());
    return stopped.isErr() ? stopped.error : undefined;
  }

  async function start(): Promise<Result<void, LogsimError>> {
    if (options.snapshotIntervalMs !== 0) void publishSnapshots(bus, clock, () => runners, metrics.signal, options.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS);
    for (const plugin of config.services) {
      const started = await startService(plugin);
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
      await reloading.catch(() => {});
      const errors: LogsimError[] = [];
      metrics.abort();
      const results = await Promise.all(runners.map((r) => r.stop()));
      for (const r of results) if (r.isErr()) errors.push(r.error);
      for (const service of services.reverse()) {
        const error = await stopService(service);
        if (error) errors.push(error);
      }
      return errors.length ? err(errors) : ok(undefined);
    })();
    return stopping;
  }

  /**
   * Upstream first, as at stop: the changed pipelines stop (in parallel), then the changed
   * services; the new services start, then the new pipelines (downstream first, as at start).
   */
  async function applyReload(next: ResolvedConfig): Promise<Result<ReloadPlan, { plan: ReloadPlan; errors: LogsimError[] }>> {
    const plan = planReload(config, next);
    if (stopping) return ok(emptyPlan());
    const errors: LogsimError[] = [];
    const going = new Set([...plan.pipelines.restart.map((c) => c.key), ...plan.pipelines.stop]);
    const stopped = await Promise.all(runners.filter((r) => going.has(r.name)).map((r) => r.stop()));
    for (const r of stopped) if (r.isErr()) errors.push(r.error);
    const goingServices = new Set([...plan.services.restart, ...plan.services.stop].map((c) => c.key));
    for (const service of services.filter((s) => goingServices.has(s.plugin.id)).reverse()) {
      const error = await stopService(service);
      if (error) errors.push(error);
    }
    services = services.filter((s) => !goingServices.has(s.plugin.id));
    config = next;
    plain = plainConfig(next);
    // Kept runners stay (with their counters); the others are new, in the new config's order.
    const kept = new Map(runners.filter((r) => !going.has(r.name)).map((r) => [r.name, r]));
    const fresh: PipelineRunner[] = [];
    runners = next.pipelines.map((p) => kept.get(p.name) ?? (fresh.push(runnerFor(p)), fresh.at(-1)!));
    const startingServices = new Set([...plan.services.restart, ...plan.services.start].map((c) => c.key));
    for (const plugin of next.services.filter((s) => startingServices.has(s.id))) {
      const started = await startService(plugin);
      if (started.isErr()) errors.push(started.error);
    }
    // Services in the new config's order, so stop() stops them in reverse of it.
    const order = new Map(next.services.map((s, i) => [s.id, i]));
    services.sort((a, b) => order.get(a.plugin.id)! - order.get(b.plugin.id)!);
    for (const runner of fresh) {
      const started = await runner.start();
      if (started.isErr()) errors.push(started.error);
    }
    return errors.length > 0 ? err({ plan, errors }) : ok(plan);
  }

  function reload(next: ResolvedConfig) {
    const run = reloading.then(() => applyReload(next));
    reloading = run.catch(() => {});
    return run;
  }

  return { bus, start, stop, reload, finished, pipelines: view.pipelines, config: view.config, outputs: view.outputs };
}

const emptyPlan = (): ReloadPlan => ({ pipelines: { restart: [], start: [], stop: [], unchanged: [] }, services: { restart: [], start: [], stop: [], unchanged: [] } });

const SNAPSHOT_INTERVAL_MS = 1000;

/** Emits `metrics:snapshot` every SNAPSHOT_INTERVAL_MS while anyone listens, until `signal` aborts. */
async function publishSnapshots(bus: Bus, clock: Clock, runners: () => readonly PipelineRunner[], signal: AbortSignal, intervalMs: number): Promise<void> {
  while (await clock.sleep(intervalMs, signal)) {
    if (!bus.has("metrics:snapshot")) continue;
    const pipelines = runners().map((r) => ({ name: r.name, state: r.state, plugins: r.plugins.map((p) => ({ ...p, counters: { ...p.counters } })) }));
    bus.emit("metrics:snapshot", { at: clock.now(), pipelines });
  }
}
