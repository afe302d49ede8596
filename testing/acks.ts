/**
 * The acknowledgement contract, end to end: run a sink in a real pipeline fed by a
 * source whose batches carry acks, and check at each ack that the sink's output
 * already holds the batch. That is what a tail source relies on when it saves a
 * position: an ack before the data is durable would lose it on a crash.
 */
import { z } from "zod";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import { formatError } from "../core/errors.ts";
import { definePlugin, type LogRecord, type PluginSpec } from "../core/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { ContractViolation } from "./contracts.ts";

const ackingSource = definePlugin({
  kind: "source",
  name: "contract-acking-source",
  description: "Yields numbered batches whose acks the contract check watches",
  schema: z.object({ batches: z.number(), size: z.number(), onAck: z.custom<(batch: number) => void>() }),
  create: (options) => ({
    async *batches() {
      for (let b = 0; b < options.batches; b++) {
        const entries: LogRecord[] = Array.from({ length: options.size }, (_, i) => ({ time: Date.UTC(2026, 0, 1) + b * 1000 + i, level: "INFO", message: `ack check ${b}:${i}`, service: "contract", fields: { batch: b, i }, tags: [] }));
        yield { entries, ack: () => options.onAck(b) };
      }
    },
  }),
});

export interface AckContractOptions {
  /** How many records the sink's output holds. */
  readBack: () => number | Promise<number>;
  batches?: number;
  batchSize?: number;
}

/**
 * @example
 * test("acks follow durable writes", () => checkAcksAfterFlush(jsonl({ path }), { readBack: () => lines(path).length }));
 */
export async function checkAcksAfterFlush(spec: PluginSpec<"sink">, options: AckContractOptions): Promise<void> {
  const batches = options.batches ?? 5;
  const size = options.batchSize ?? 50;
  const before = await options.readBack();
  const checks: Array<Promise<string | undefined>> = [];
  const acked: number[] = [];
  const onAck = (batch: number) => {
    acked.push(batch);
    const needed = (batch + 1) * size;
    checks.push(
      Promise.resolve(options.readBack()).then((count) =>
        count - before >= needed ? undefined : `batch ${batch} was acknowledged when the output held ${count - before} of the ${needed} records written up to it`,
      ),
    );
  };
  const config = validateConfig({ pipelines: { contract: { sources: [ackingSource({ batches, size, onAck })], sinks: [spec], flushInterval: "10ms" } } }, { registry: new Map() });
  if (config.isErr()) throw new ContractViolation(spec.definition.name, formatError(config.error));
  const app = createApp(config.value, { runtime: await detectRuntime() });
  const started = await app.start();
  if (started.isErr()) throw new ContractViolation(spec.definition.name, formatError(started.error));
  const failures = await app.finished;
  await app.stop();
  const problems = [...failures.flatMap(formatError), ...(await Promise.all(checks)).filter((p): p is string => p !== undefined)];
  if (acked.length !== batches) problems.push(`${acked.length} of ${batches} batches were acknowledged after a clean run`);
  if (problems.length) throw new ContractViolation(spec.definition.name, problems);
}
