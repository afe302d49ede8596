/** The plugin of a decoding parser (docker, cri, container): no options, as runtimes write their times with a zone. */
import { z } from "zod";
import { definePlugin } from "../../core/mod.ts";
import { ContainerDecoder, type ContainerFormat } from "./_container.ts";

export const decoderPlugin = (name: string, description: string, format: ContainerFormat | undefined) =>
  definePlugin({
    kind: "parser",
    name,
    description,
    schema: z.strictObject({}),
    create: (_options, ctx) => {
      const decoder = new ContainerDecoder(name);
      return { parse: (line) => decoder.decode(line, ctx.clock.now(), format) };
    },
  });
