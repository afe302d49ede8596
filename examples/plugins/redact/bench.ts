/**
 * The redact transform's speed on 100,000 mixed messages (1 in 4 with a
 * secret), with tinybench. Run: bun examples/plugins/redact/bench.ts
 * (or deno run -A, or node --conditions=source --import tsx).
 */
import { Bench } from "tinybench";
import type { LogRecord } from "../../../core/mod.ts";
import { mixedMessages } from "./mixed-messages.ts";
import { createRedactor, redactSchema } from "./mod.ts";

const N = 100_000;
const { messages } = mixedMessages(N);
const redactor = createRedactor(redactSchema.parse({}));
const records = (): LogRecord[] => messages.map((message) => ({ time: 0, level: "INFO", message, raw: message, fields: { user_id: "u-1034", path: "/api/v1/orders", status: 200 } }));

const bench = new Bench({ iterations: 5, warmupIterations: 1 });
let batch = records();
bench
  .add(`text(): ${N.toLocaleString("en")} messages`, () => {
    for (const m of messages) redactor.text(m);
  })
  .add(`record(): ${N.toLocaleString("en")} records (message = raw, 3 fields)`, () => {
    for (const r of batch) redactor.record(r);
  }, { beforeEach: () => void (batch = records()) });
await bench.run();

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : `node ${process.version}`;
for (const task of bench.tasks) {
  const ms = task.result?.latency?.mean ?? Number.NaN;
  console.log(`${task.name}: ${ms.toFixed(1)} ms per 100k = ${Math.round((N / ms) * 1000).toLocaleString("en")} messages/s (${((ms * 1e6) / N).toFixed(0)} ns each) on ${runtime}`);
}
