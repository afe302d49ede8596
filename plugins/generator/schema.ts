/** The generator's options. Each `describe` is what `logsim plugins generator` prints. */
import { z } from "zod";
import { duration, positiveInt } from "../../core/mod.ts";
import { checkFields, fieldSpec } from "./fields.ts";
import { SERVICE_ROLES } from "./world.ts";

const fraction = (what: string) =>
  z.number({ error: `expected ${what} between 0 and 1` }).min(0, { error: `expected ${what} between 0 and 1` }).max(1, { error: `expected ${what} between 0 and 1` });
const positive = (what: string) => z.number({ error: `expected ${what} > 0` }).positive({ error: `expected ${what} > 0` });

/** An ISO 8601 time or epoch milliseconds, parsed to epoch ms. */
const startTime = () =>
  z.union([z.number(), z.string()], { error: "expected an ISO 8601 time or epoch milliseconds" }).transform((value, ctx) => {
    const ms = typeof value === "number" ? value : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: `expected an ISO 8601 time such as "2026-11-23T10:00:00Z", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  }) as unknown as z.ZodType<number, string | number>;

export const burstSchema = z
  .strictObject({
    multiplier: positive("a multiplier").describe("Rate multiplier inside a burst"),
    duration: duration().describe("How long each burst lasts"),
    every: duration().optional().describe("Start a burst every period (the first one period after the start, or at `offset`)"),
    offset: duration({ allowZero: true }).optional().describe("Time of the first periodic burst (default: one period in)"),
    probability: fraction("a probability").optional().describe("Chance of a burst starting, evaluated once per second outside bursts"),
    at: z.array(duration({ allowZero: true })).optional().describe("Offsets from the start at which bursts begin"),
  })
  .refine((b) => b.every !== undefined || b.probability !== undefined || (b.at?.length ?? 0) > 0, { message: "a burst needs `every`, `probability` or `at`" });

export const faultsSchema = z.strictObject({
  truncated: fraction("a fraction").default(0).describe("Fraction of lines cut short (truncated JSON)"),
  badUtf8: fraction("a fraction").default(0).describe("Fraction of lines with invalid UTF-8 bytes"),
  overlong: fraction("a fraction").default(0).describe("Fraction of lines padded past `overlongBytes`"),
  noNewline: fraction("a fraction").default(0).describe("Fraction of lines written without their newline, as the last line of a write"),
  overlongBytes: positiveInt().default(70_000).describe("Length of an over-long line's padding field"),
});

const incidentsSchema = z.strictObject({
  probability: fraction("a probability").default(1 / 600).describe("Chance per simulated second that the payment gateway starts failing"),
  minDuration: duration().prefault(20 as never).describe("Shortest incident"),
  maxDuration: duration().prefault(90 as never).describe("Longest incident"),
  errorRate: fraction("an error rate").default(0.6).describe("Payment failure rate during an incident"),
  latencyFactor: positive("a factor").default(8).describe("Payment latency multiplier during an incident"),
});

export const generatorSchema = z
  .strictObject({
    id: z.string().min(1).default("gen").describe("Generator id, on every event as `generator`"),
    count: positiveInt().optional().describe("Stop after this many events"),
    rate: positive("a rate").optional().describe("Events per second, paced against the monotonic clock; omit for as fast as possible"),
    pace: z.boolean().default(true).describe("Hold emission to the rate in real time; false writes the planned events (and their planned timestamps) as fast as possible"),
    duration: duration().optional().describe("Stop after this long (planned time when paced, else elapsed time)"),
    seed: z.union([z.number(), z.string()]).optional().describe("Seed: the same seed gives the same events (and, with startTime, the same bytes)"),
    startTime: startTime().optional().describe("Simulated clock start (ISO time or epoch ms); without it, timestamps are wall time"),
    batchSize: positiveInt().default(256).describe("Largest batch handed to the pipeline (small batches stay in cache: faster than large ones)"),
    users: positiveInt().default(1000).describe("Size of the simulated user population"),
    concurrency: positiveInt().default(2000).describe("Most flows (sessions, requests, jobs) in progress at once"),
    mix: z
      .strictObject({ session: z.number().min(0).default(6), api: z.number().min(0).default(3), job: z.number().min(0).default(1) })
      .default({ session: 6, api: 3, job: 1 })
      .refine((m) => m.session + m.api + m.job > 0, { message: "at least one flow weight must be > 0" })
      .describe("Relative weights of new user sessions, API requests and background jobs"),
    errorRate: fraction("an error rate").default(0.02).describe("Base failure rate of payments, requests and jobs"),
    abandonRate: fraction("a rate").default(0.1).describe("Chance that a user leaves at each step (the session then expires)"),
    thinkTime: duration().prefault(3 as never).describe("Mean think time between a user's steps (simulated)"),
    httpOnly: z
      .boolean()
      .default(false)
      .describe("Emit only the HTTP requests answered to clients (ip, method, path, status, bytes): an access log. The rest (jobs, incidents, downstream calls, expiries) is simulated, not emitted, and counted as `skipped`. `logsim generate --format apache` sets it"),
    debug: z.boolean().default(true).describe("Emit DEBUG detail lines (downstream calls, job progress)"),
    services: z.partialRecord(z.enum(SERVICE_ROLES), z.string().min(1)).default({}).describe(`Service names by role (${SERVICE_ROLES.join(", ")})`),
    incidents: z.union([incidentsSchema, z.literal(false)]).prefault({}).describe("Error cascades of the payment gateway; false turns them off"),
    fields: z.record(z.string(), fieldSpec).default({}).describe("Custom fields: constants, templates, { oneOf }, { int }, { float }, { gen }"),
    burst: burstSchema.optional().describe("Rate bursts (needs `rate`)"),
    faults: faultsSchema.optional().describe("Malformed lines for testing collectors (off by default)"),
  })
  .superRefine((o, ctx) => {
    for (const problem of checkFields(o.fields)) ctx.addIssue({ code: "custom", path: ["fields"], message: problem });
    if (o.burst && o.rate === undefined) ctx.addIssue({ code: "custom", path: ["burst"], message: "bursts multiply a rate: set `rate` too" });
    if (o.httpOnly && o.mix.session + o.mix.api === 0) ctx.addIssue({ code: "custom", path: ["httpOnly"], message: "only jobs in `mix` make no HTTP requests: give session or api a weight" });
    if (o.incidents && o.incidents.minDuration > o.incidents.maxDuration) ctx.addIssue({ code: "custom", path: ["incidents"], message: "minDuration must not exceed maxDuration" });
  });

export type GeneratorOptions = z.output<typeof generatorSchema>;
export type GeneratorInput = z.input<typeof generatorSchema>;
