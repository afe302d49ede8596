import { err, ok } from "neverthrow";
import { configJsonSchema } from "../../core/config/plain.ts";
import { configOption, type Command } from "./command.ts";
import { registryWithConfig } from "./plugins.ts";

export const schemaCommand: Command = {
  name: "schema",
  summary: "Print the JSON Schema of logsim.config.json (for editors and tools)",
  details: 'Save it and point "$schema" in logsim.config.json at it for completion:\n  logsim schema > logsim.schema.json',
  options: { config: { ...configOption, description: "Also allow the plugins this config loads from files and packages" } },
  async run({ values }, { runtime, registry: builtins }) {
    const loaded = await registryWithConfig(runtime, builtins, values.config as string | undefined);
    if (loaded.isErr()) return err(loaded.error);
    // A plugin from a module is written with the `use` that loaded it, not its own name.
    const definitions = [...loaded.value].map(([use, d]) => (use === d.name ? d : { ...d, name: use }));
    await runtime.stdout.write(`${JSON.stringify(configJsonSchema(definitions), null, 2)}\n`);
    return ok(0);
  },
};
