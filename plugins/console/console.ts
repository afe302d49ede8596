/** The console sink: one formatted line per record, one write per batch. */
import { z } from "zod";
import { createLineFormat, definePlugin, LEVEL_RANK, lineFormat, minLevel, type Level, type LogRecord, type PluginContext, type Sink } from "../../core/mod.ts";

export const consoleSchema = z.strictObject({
  format: lineFormat(),
  stream: z.enum(["stdout", "stderr"], { error: 'expected "stdout" or "stderr"' }).default("stdout").describe("Where to write"),
  minLevel: minLevel(),
  color: z.enum(["auto", "always", "never"], { error: 'expected "auto", "always" or "never"' }).default("auto").describe("Colour levels (auto: only on a terminal)"),
});

export type ConsoleOptions = z.output<typeof consoleSchema>;

const COLORS: Record<Level, string> = { DEBUG: "\x1b[90m", INFO: "\x1b[36m", WARN: "\x1b[33m", ERROR: "\x1b[31m", FATAL: "\x1b[41;97m" };
// Log content is untrusted: on a terminal, escape sequences in it could rewrite the screen.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/g;

function createConsole(options: ConsoleOptions, ctx: PluginContext): Sink {
  const out = options.stream === "stdout" ? ctx.runtime.stdout : ctx.runtime.stderr;
  const format = createLineFormat(options.format);
  // https://no-color.org: a set NO_COLOR turns "auto" colour off.
  const color = options.color === "always" || (options.color === "auto" && out.isTTY && !ctx.runtime.env("NO_COLOR"));
  const min = options.minLevel ? LEVEL_RANK[options.minLevel] : 0;
  const line = (record: LogRecord) => {
    const text = format.format(record);
    if (!color) return text;
    return `${COLORS[record.level]}${text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}\x1b[0m`;
  };
  let headerDone = false;
  let closed = false;
  return {
    async write(records) {
      if (closed) throw new Error(`cannot write to ${options.stream}: the console sink is closed`);
      let text = "";
      if (!headerDone && format.header) text += `${format.header}\n`;
      headerDone = true;
      for (const record of records) if (LEVEL_RANK[record.level] >= min) text += `${line(record)}\n`;
      if (text) await out.write(text);
    },
    flush: () => out.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await out.flush();
    },
  };
}

export const consoleSink = definePlugin({
  kind: "sink",
  name: "console",
  description: "Prints records to stdout or stderr",
  schema: consoleSchema,
  create: createConsole,
});
