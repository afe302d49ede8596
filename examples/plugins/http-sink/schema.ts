/** The http sink's options: one zod schema gives the config types, validation and `logsim plugins` text. */
import { z } from "zod";
import { duration, positiveInt, nonNegativeInt } from "../../../core/mod.ts";

export const httpSinkSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).describe("Where batches are sent"),
  method: z.enum(["POST", "PUT"]).default("POST"),
  format: z.enum(["ndjson", "json"]).default("ndjson").describe("ndjson: one JSON record per line; json: one JSON array per batch"),
  headers: z.record(z.string(), z.string()).default({}).describe("Extra request headers (Authorization, X-Api-Key...)"),
  batch: z
    .strictObject({
      maxRecords: positiveInt().default(500).describe("Most records in one request"),
      maxBytes: positiveInt().default(1_048_576).describe("Most bytes in one request body (a bigger record goes alone)"),
    })
    .prefault({})
    .describe("How big one request may be; a batch is sent when full, and by flush"),
  timeout: duration().default(5_000).describe("Longest one request may take"),
  retry: z
    .strictObject({
      retries: nonNegativeInt().default(4).describe("Attempts after the first, for network errors, timeouts, 408, 429 and 5xx"),
      initialDelay: duration().default(200).describe("First backoff; doubles each time, with jitter"),
      maxDelay: duration().default(2_000).describe("Longest backoff"),
      maxElapsed: duration().default(8_000).describe("Longest all attempts at one batch may take; keep it below the config's hookTimeout (10s)"),
    })
    .prefault({})
    .describe("Retries inside the sink; when they give up, the write fails and the pipeline retries it"),
});

export type HttpSinkOptions = z.input<typeof httpSinkSchema>;
export type ResolvedHttpSinkOptions = z.output<typeof httpSinkSchema>;
