/**
 * The heartbeat source: one record every `interval`, as the original logger
 * service did. Paced against the monotonic clock (tick k is due at start + k * interval),
 * so a slow tick does not push every later one back.
 */
import { z } from "zod";
import { definePlugin, duration, level, type LogRecord, type PluginContext, type Source } from "../../core/mod.ts";

export const heartbeatSchema = z.strictObject({
  interval: duration().prefault("5s").describe('Time between heartbeats: "5s", "250ms", or seconds (fractions allowed)'),
  level: level().prefault("INFO").describe("Level of each heartbeat record"),
  message: z.string().default("Service heartbeat").describe("Message of each heartbeat record"),
  service: z.string().default("logger-service").describe("Service name on each record"),
  count: z.number().int().positive({ error: "expected a positive integer" }).optional().describe("Stop after this many heartbeats (default: run until stopped)"),
});

export type HeartbeatOptions = z.output<typeof heartbeatSchema>;

function createHeartbeat(options: HeartbeatOptions, ctx: PluginContext): Source {
  return {
    async *batches() {
      const start = ctx.clock.monotonic();
      for (let seq = 1; options.count === undefined || seq <= options.count; seq++) {
        const record: LogRecord = {
          time: ctx.clock.now(),
          level: options.level,
          message: options.message,
          service: options.service,
          fields: { seq, uptime_s: Math.round(ctx.clock.monotonic() - start) / 1000 },
        };
        yield [record];
        if (options.count !== undefined && seq === options.count) return;
        const due = start + seq * options.interval;
        if (!(await ctx.clock.sleep(due - ctx.clock.monotonic(), ctx.signal))) return;
      }
    },
  };
}

export const heartbeat = definePlugin({
  kind: "source",
  name: "heartbeat",
  description: "Emits a heartbeat record at a fixed interval",
  schema: heartbeatSchema,
  create: createHeartbeat,
});
