/**
 * An `http` sink, written as a plugin outside logsim would be: it imports
 * only from "logsim". Batches of records go to a URL as NDJSON or a JSON
 * array, with retries (exponential backoff with jitter, honouring
 * Retry-After) inside a time budget; when they give up, the write throws and
 * the pipeline's own retry and acknowledgement take over, so nothing is lost.
 *
 * @example
 * // logsim.config.ts
 * import { http } from "./examples/plugins/http-sink/mod.ts";
 * sinks: [http({ url: "https://logs.example.com/ingest", headers: { authorization: `Bearer ${env("INGEST_TOKEN")}` }, batch: { maxRecords: 1000 } })]
 */
import { definePlugin } from "../../../core/mod.ts";
import { createHttpSink } from "./http-sink.ts";
import { httpSinkSchema } from "./schema.ts";

export { httpSinkSchema, type HttpSinkOptions } from "./schema.ts";

export const http = definePlugin({
  kind: "sink",
  name: "http",
  description: "Sends batches of records to an HTTP endpoint (NDJSON or a JSON array), with retries and backoff",
  schema: httpSinkSchema,
  create: (options, ctx) =>
    createHttpSink(options, {
      clock: ctx.clock,
      signal: ctx.signal,
      // One line per batch that needs a retry; the pipeline reports a write that gave up.
      onRetry: (problem, attempt, wait) => attempt === 1 && ctx.log.warn(`${ctx.id}: ${problem}; retrying in ${Math.round(wait)} ms`),
    }),
});
