import { ok } from "neverthrow";
import { configJsonSchema } from "../../core/config/plain.ts";
import type { Command } from "./command.ts";

export const schemaCommand: Command = {
  name: "schema",
  summary: "Print the JSON Schema of logsim.config.json (for editors and tools)",
  details: 'Save it and point "$schema" in logsim.config.json at it for completion:\n  logsim schema > logsim.schema.json',
  options: {},
  async run(_args, { runtime, registry }) {
    await runtime.stdout.write(`${JSON.stringify(configJsonSchema([...registry.values()]), null, 2)}\n`);
    return ok(0);
  },
};
