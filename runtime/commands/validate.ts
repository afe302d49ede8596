import { ok } from "neverthrow";
import { loadConfig } from "../../core/config/load.ts";
import type { ResolvedConfig, ResolvedPlugin } from "../../core/config/validate.ts";
import { describeWorkers } from "../../core/parallel/plan.ts";
import { regexEngines } from "../../core/regex-report.ts";
import { configOption, type Command } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "Check a config file and print every problem in it, and which engine runs each regex",
  details: "Each regex is run by the engine's RegExp (native) when it is proved to run in linear time there, else by re2js (re2), a linear-time engine; the reason is printed beside it.",
  options: { config: configOption },
  async run({ values }, { runtime, registry }) {
    return (await loadConfig(runtime, registry, values.config as string | undefined)).andThen(({ path, config }) => {
      const plugins = config.pipelines.reduce((n, p) => n + p.sources.length + p.parsers.length + p.transforms.length + p.sinks.length, config.services.length);
      const regexes = formatRegexEngines(config);
      const workers = config.pipelines.map(describeWorkers).filter(Boolean).map((line) => `${line}\n`).join("");
      void runtime.stdout.write(`${path}: ok (${config.pipelines.length} pipeline${config.pipelines.length === 1 ? "" : "s"}, ${plugins} plugins)\n${workers}${regexes}`);
      return ok(0);
    });
  },
};

/** One line per regex option: `  pipelines.main.transforms[0].match (filter): native (safe: …)`, under a heading; "" when there is none. */
export function formatRegexEngines(config: ResolvedConfig): string {
  const plugins: ResolvedPlugin[] = [...config.pipelines.flatMap((p) => [...p.sources, ...p.parsers, ...p.transforms, ...p.sinks]), ...config.services];
  const lines = plugins.flatMap((plugin) =>
    regexEngines(plugin.definition.schema, plugin.input).map((r) => `  ${plugin.location}.${r.path} (${plugin.definition.name}): ${r.engine ?? "refused"} (${r.reason})`),
  );
  return lines.length === 0 ? "" : `regexes (native: the engine's RegExp, proved linear-time there; re2: re2js, linear time for any pattern):\n${lines.join("\n")}\n`;
}
