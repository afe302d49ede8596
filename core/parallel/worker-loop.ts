/**
 * The body of a parsing worker thread (started by runtime/<name>/worker.ts): builds the pipeline's
 * parsers, transforms and sink encoders from the setup it is sent, then turns each batch of lines
 * into encoded output. Plugins get a context of their own here: the same runtime and a system clock,
 * a bus of their own (events they emit stay in the thread) and no view of the app.
 */
import { createBus } from "../bus.ts";
import { systemClock } from "../clock.ts";
import { messageOf } from "../errors.ts";
import { createCounters, type Counters } from "../metrics.ts";
import { isPluginSpec, type InstanceOf, type Parser, type PluginContext, type PluginDefinition, type PluginKind, type RecordEncoder, type Transform } from "../plugin.ts";
import type { ParentPort, Runtime } from "../runtime.ts";
import { ONCE } from "../config/once.ts";
import { BatchProcessor } from "./batch-processor.ts";
import type { FromWorker, ToWorker, WorkerPlugin, WorkerSetup } from "./protocol.ts";
import { unpackEntries } from "./wire.ts";
import { blockBuffers } from "../line-block.ts";

/**
 * Where a thread finds a built-in plugin: what may hold the definition of `name` of `kind` (module
 * exports or definitions). A lookup, not a list: a thread imports only the plugins its setup names.
 */
export type BuiltinCandidates = (kind: PluginKind, name: string) => Promise<readonly unknown[]>;

/**
 * Serves a parsing thread's parent. `preload` imports what most setups use (the built-in parsers,
 * filter, tag, jsonl): a thread started ahead of its setup (prestart.ts) loads them meanwhile.
 */
export function serveWorker(port: ParentPort, runtime: Runtime, builtins: BuiltinCandidates, preload?: () => Promise<unknown>): void {
  const send = (message: FromWorker, transfer?: ArrayBuffer[]) => port.post(message, transfer);
  let processor: Promise<BatchProcessor | undefined> | undefined;
  send({ type: "loaded" }); // The modules are in: from now on, building the plugins is bounded by the hook timeout.
  // A failed preload is not this thread's failure: the setup's own import reports what is missing.
  void preload?.().catch(() => undefined);
  port.onMessage((raw) => {
    const message = raw as ToWorker;
    if (message.type === "setup") {
      processor = build(message.setup, runtime, builtins).then(
        (p) => (send({ type: "ready" }), p),
        (cause) => void send({ type: "setup-failed", message: messageOf(cause) }),
      );
      return;
    }
    // message.returned (output buffers the sinks have written) is let go: this thread's collector frees them.
    void processor?.then((p) => {
      if (!p) return;
      try {
        const result = p.run(message.seq, unpackEntries(message.entries), message.wantRecords);
        const transfer = result.encoded.flatMap((bytes) => (bytes ? [bytes.buffer as ArrayBuffer] : []));
        // The lines are strings now: their bytes go back, to be read into again.
        const spent = blockBuffers(message.entries.blocks);
        send({ type: "result", result, ...(spent.length > 0 ? { spent } : {}) }, [...transfer, result.counters.buffer as ArrayBuffer, ...spent]);
      } catch (cause) {
        send({ type: "batch-failed", seq: message.seq, message: messageOf(cause) });
      }
    });
  });
}

async function build(setup: WorkerSetup, runtime: Runtime, builtins: BuiltinCandidates): Promise<BatchProcessor> {
  const make = async <K extends PluginKind>(spec: WorkerPlugin): Promise<{ instance: InstanceOf[K]; counters: Counters }> => {
    const definition = (await findDefinition(spec, builtins)) as PluginDefinition<K>;
    const options = definition.schema.parse(spec.input, ONCE);
    const counters = createCounters();
    return { instance: await definition.create(options as never, context(spec, setup.pipeline, runtime, counters)), counters };
  };
  const parsers = await Promise.all(setup.parsers.map((s) => make<"parser">(s)));
  const transforms = await Promise.all(setup.transforms.map((s) => make<"transform">(s)));
  const encoders = await Promise.all(
    setup.encoders.map(async (spec): Promise<RecordEncoder | null> => {
      if (!spec) return null;
      const definition = await findDefinition(spec, builtins);
      return definition.encoder?.(definition.schema.parse(spec.input, ONCE) as never) ?? null;
    }),
  );
  return new BatchProcessor(setup, parsers as Array<{ instance: Parser; counters: Counters }>, transforms as Array<{ instance: Transform; counters: Counters }>, encoders, () => systemClock.now());
}

/** A built-in by name, or the plugin of that name and kind that `module` exports. */
async function findDefinition(spec: WorkerPlugin, builtins: BuiltinCandidates): Promise<PluginDefinition> {
  const candidates: readonly unknown[] = spec.module ? Object.values(await import(spec.module)) : await builtins(spec.kind, spec.name);
  for (const value of candidates) {
    const definition = definitionOf(value);
    if (definition?.name === spec.name && definition.kind === spec.kind) {
      if (spec.kind !== "sink" && !definition.parallel) throw new Error(`${spec.location} (${spec.name}): the plugin a worker found does not declare \`parallel\``);
      return definition;
    }
  }
  throw new Error(`${spec.location}: no ${spec.kind} plugin "${spec.name}" ${spec.module ? `in ${spec.module}` : "among the built-in plugins (give the plugin's definition `module: import.meta.url`)"}`);
}

function definitionOf(value: unknown): PluginDefinition | undefined {
  if (isPluginSpec(value)) return value.definition;
  const candidate = (typeof value === "function" || (typeof value === "object" && value !== null) ? (value as { definition?: unknown }).definition ?? value : undefined) as Partial<PluginDefinition> | undefined;
  return candidate && typeof candidate.name === "string" && typeof candidate.create === "function" ? (candidate as PluginDefinition) : undefined;
}

function context(spec: WorkerPlugin, pipeline: string, runtime: Runtime, counters: Counters): PluginContext {
  const line = (text: string) => void runtime.stderr.write(`[${spec.name}] ${text}\n`);
  return {
    id: spec.id,
    location: spec.location,
    pipeline,
    bus: createBus(),
    runtime,
    clock: systemClock,
    signal: new AbortController().signal,
    counters,
    app: { pipelines: () => [], config: () => undefined, outputs: () => [], durable: () => false },
    log: { info: line, warn: line },
  };
}
