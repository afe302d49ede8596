/** The plugin wrapper of a line parser: a `timezone` option, and one ParseEnv per instance, its `now` set per line. */
import { z } from "zod";
import { definePlugin, type PluginContext, type RawLine } from "../../core/mod.ts";
import { secondCache, type ParseEnv, type ParseResult } from "./_common.ts";
import { resolveZone } from "./_time.ts";

export type LineParser = (line: RawLine, env: ParseEnv) => ParseResult;

/** The `timezone` option every parser has: the zone of times written without one. */
export const timezoneOption = () =>
  z
    .string({ error: 'expected a time zone: "local", "UTC", an offset such as "+05:30" or an IANA name such as "Europe/Paris"' })
    .default("local")
    .superRefine((value, ctx) => {
      const zone = resolveZone(value);
      if (zone.isErr()) ctx.addIssue({ code: "custom", message: zone.error });
    })
    .describe('Zone of timestamps written without one: "local" (the machine\'s, default), "UTC", "+05:30", or an IANA name such as "America/New_York"');

/**
 * An env whose zone is the option's; `tick(line)` sets its `now` for that line: the time of the
 * line's envelope when a decoding parser (docker, cri) found one, so content without a time of its
 * own gets the container runtime's, else the clock's; and its `fileTime`, the line's file's.
 */
export function parseEnv(timezone: string, ctx: PluginContext): { env: ParseEnv; tick: (line: RawLine) => ParseEnv } {
  const env: ParseEnv = { now: 0, zone: resolveZone(timezone)._unsafeUnwrap(), seconds: secondCache() }; // Zone checked by the schema.
  return {
    env,
    tick: (line) => {
      env.now = line.envelope?.time ?? ctx.clock.now();
      env.fileTime = line.fileTime;
      return env;
    },
  };
}

/** A parser plugin for a pure line parser, with the `timezone` option: it can run in worker threads. */
export const lineParserPlugin = (name: string, description: string, parse: LineParser) => statefulLineParserPlugin(name, description, () => parse, true);

/** A parser plugin whose instances each get their own parser from `create` (for parsers that remember, per file). */
export const statefulLineParserPlugin = (name: string, description: string, create: () => LineParser, parallel = false) =>
  definePlugin({
    kind: "parser",
    name,
    description,
    parallel,
    schema: z.strictObject({ timezone: timezoneOption() }),
    create: (options, ctx) => {
      const { tick } = parseEnv(options.timezone, ctx);
      const parse = create();
      return { parse: (line) => parse(line, tick(line)) };
    },
  });
