/** What a CLI command is: its usage, its options (node:util parseArgs form) and a run that returns an exit code. */
import type { Result } from "neverthrow";
import type { PluginRegistry } from "../../core/config/validate.ts";
import type { LogsimError } from "../../core/errors.ts";
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
  run(args: ParsedArgs, ctx: CommandContext): Promise<Result<number, LogsimError>>;
}

export const configOption: OptionSpec = { type: "string", short: "c", value: "FILE", description: "Config file (default: logsim.config.ts, .js, .mjs or .json in the current folder)" };
