/**
 * A sink from outside the built-ins whose `encoder` runs in the workers (found through `module`),
 * for tests/parallel-pipeline.test.ts: it writes each record's message, and its `writeEncoded`
 * fails the first time, reads its bytes only after yielding to the event loop, and keeps every
 * array it was lent (in `lent`, on the pipeline's thread) so the test can see them go back, or, with
 * `copies: false` (it does not declare `copiesEncoded`), stay.
 */
import { z } from "zod";
import { definePlugin } from "../core/plugin.ts";

/** Every array `writeEncoded` was lent, in order (the pipeline's thread's copy of this module). */
export const lent: Uint8Array[] = [];

const messages = (records: readonly { message: string }[]) => records.map((r) => `${r.message}\n`).join("");

export const lentBytesSink = definePlugin({
  kind: "sink",
  name: "test-lent-bytes",
  module: import.meta.url,
  description: "test sink: messages, one failed write, reads its bytes after a turn of the event loop",
  schema: z.object({ got: z.custom<string[]>((v) => Array.isArray(v)), copies: z.boolean() }),
  encoder: () => (records) => new TextEncoder().encode(messages(records)),
  create: (o) => {
    let failed = false;
    return {
      copiesEncoded: o.copies,
      write: (records) => void o.got.push(messages(records)),
      async writeEncoded(bytes) {
        lent.push(bytes);
        if (!failed) {
          failed = true;
          throw new Error("the first write fails: the retry must see the same bytes");
        }
        await new Promise((resolve) => setTimeout(resolve, 0)); // Other batches come and go meanwhile.
        o.got.push(new TextDecoder().decode(bytes));
      },
      flush: () => {},
      close: () => {},
    };
  },
});
