/**
 * The `stdin` source: reads standard input (or a FIFO named by `path`) to its
 * end and emits its lines, so `kubectl logs -f pod | logsim collect -i -`
 * works. Lines are split on the `\n` byte before decoding, as the tail
 * source does (offsets are bytes; a line longer than `maxLineBytes` is cut and
 * flagged). At end of input the source ends, and with it a pipeline that has
 * no other source. A stream cannot be read again, so there is no saved position.
 */
import { z } from "zod";
import { definePlugin, LineSplitter, positiveInt, type PluginContext, type RawLine, type Source, type SplitLine } from "../../core/mod.ts";

export const stdinSchema = z.strictObject({
  path: z.string({ error: "expected a file path" }).min(1, { error: "expected a non-empty file path" }).optional()
    .describe("A FIFO or device to read to its end instead of standard input"),
  maxLineBytes: positiveInt().default(1_048_576).describe("Longer lines are cut to this many bytes and flagged truncated"),
  batchLines: positiveInt().default(1000).describe("Most lines per batch"),
});

export type StdinOptions = z.output<typeof stdinSchema>;

/** The `origin.file` of lines read from standard input. */
export const STDIN_NAME = "<stdin>";

function createStdin(options: StdinOptions, ctx: PluginContext): Source {
  const file = options.path ?? STDIN_NAME;
  const toRaw = (line: SplitLine, partial: boolean): RawLine => {
    const raw: RawLine = { kind: "line", text: line.text, origin: { file, offset: line.offset } };
    if (line.truncated) raw.truncated = true;
    if (partial) raw.partial = true;
    return raw;
  };

  async function* batches(): AsyncGenerator<RawLine[]> {
    const { signal } = ctx;
    const stream = options.path ? ctx.runtime.fs.readStream(options.path) : ctx.runtime.readStdin();
    const chunks = stream[Symbol.asyncIterator]();
    // A pipe may stay open and silent for ever (kubectl logs -f): stopping must not wait for its next chunk.
    const stopped = new Promise<undefined>((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener("abort", () => resolve(undefined), { once: true })));
    const splitter = new LineSplitter(0, options.maxLineBytes);
    const split: SplitLine[] = [];
    let ended = false;
    try {
      for (;;) {
        const next = await Promise.race([chunks.next(), stopped]);
        if (next === undefined) break;
        if (next.done) {
          ended = true;
          break;
        }
        split.length = 0;
        splitter.push(next.value, split);
        // Each chunk's lines go at once: lines on a live pipe must not wait for a batch to fill.
        for (let i = 0; i < split.length; i += options.batchLines) yield split.slice(i, i + options.batchLines).map((l) => toRaw(l, false));
      }
    } finally {
      if (!ended) void chunks.return?.()?.catch(() => {});
    }
    // At the end of input, a last line without a newline is a whole line; when stopped early, it is partial.
    split.length = 0;
    splitter.flush(split);
    if (split.length > 0) yield [toRaw(split[0]!, !ended)];
  }

  return { batches };
}

export const stdin = definePlugin({
  kind: "source",
  name: "stdin",
  description: "Reads lines from standard input (or a FIFO) to its end",
  schema: stdinSchema,
  create: createStdin,
});
