/** What a CLI command is: its usage, its options (node:util parseArgs form) and a run that returns an exit code. */
import type { Result } from "neverthrow";
import type { App } from "../../core/app.ts";
import type { PluginRegistry, ResolvedConfig } from "../../core/config/validate.ts";
import type { LogsimError } from "../../core/errors.ts";
import type { PluginDefinition } from "../../core/plugin.ts";
import type { Runtime } from "../../core/runtime.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  description: string;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
}

export interface CommandContext {
  runtime: Runtime;
  registry: PluginRegistry;
  version: string;
  /** Ends the threads started ahead for this run (CommandEntry.threads) that no pipeline took: call once the app has started. */
  releaseThreads?(): void;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Extra help text shown by `logsim <command> --help`. */
  details?: string;
  options: Record<string, OptionSpec>;
  /**
   * The only plugins this run configures, when the command builds its config itself (`generate`):
   * the CLI then loads no other built-in (all of them cost a short run more CPU than its events).
   * Default: every built-in.
   */
  plugins?(args: ParsedArgs): Promise<readonly PluginDefinition[]>;
  run(args: ParsedArgs, ctx: CommandContext): Promise<Result<number, LogsimError>>;
}

import { DEFAULT_CONFIG_FILES } from "../../core/config/load.ts";

/** The names are those loadConfig looks for, so help and README cannot drift from it. */
export const configOption: OptionSpec = {
  type: "string",
  short: "c",
  value: "FILE",
  description: `Config file (default: ${DEFAULT_CONFIG_FILES.map((f, i) => (i === 0 ? f : f.replace("logsim.config", ""))).join(", ").replace(/, ([^,]+)$/, " or $1")} in the current folder)`,
};

/** The sink writing `--output` (the config's first sink) could not start (a folder in the way, no permission): say so with the flag. */
export function outputError(error: LogsimError, output: string, config: ResolvedConfig): LogsimError {
  if (error.kind !== "plugin.hook-failed" || error.hook !== "create" || error.id !== config.pipelines[0]?.sinks[0]?.id) return error;
  return { kind: "input.invalid", message: `Cannot write --output ${JSON.stringify(output)}: ${error.message}` };
}

/**
 * Prints each pipeline failure once. A failure that stops `app.start()` is also its
 * returned error, which the CLI prints: failures seen while starting are held,
 * and the returned function (called once start has settled) prints the others.
 */
export function reportFailures(app: App, print: (pipeline: string, error: LogsimError) => void): (startError?: LogsimError) => void {
  let held: Array<{ pipeline: string; error: LogsimError }> | undefined = [];
  app.bus.on("pipeline:failed", (e) => (held ? held.push(e) : print(e.pipeline, e.error)));
  return (startError) => {
    const early = held ?? [];
    held = undefined;
    for (const e of early) if (e.error !== startError) print(e.pipeline, e.error);
  };
}
