import { ok } from "neverthrow";
import { loadConfig } from "../../core/config/load.ts";
import { describeWorkers } from "../../core/parallel/plan.ts";
import { configOption, type Command } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "Check a config file and print every problem in it",
  options: { config: configOption },
  async run({ values }, { runtime, registry }) {
    return (await loadConfig(runtime, registry, values.config as string | undefined)).andThen(({ path, config }) => {
      const plugins = config.pipelines.reduce((n, p) => n + p.sources.length + p.parsers.length + p.transforms.length + p.sinks.length, config.services.length);
      void runtime.stdout.write(`${path}: ok (${config.pipelines.length} pipeline${config.pipelines.length === 1 ? "" : "s"}, ${plugins} plugins)\n`);
      for (const line of config.pipelines.map(describeWorkers)) if (line) void runtime.stdout.write(`${line}\n`);
      return ok(0);
    });
  },
};
