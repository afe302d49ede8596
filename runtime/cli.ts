/**
 * The runtime-agnostic CLI: parses arguments, runs a command, and is the one
 * place where a LogsimError becomes text on stderr and an exit code.
 *
 * The commands and the built-in plugins (zod schemas of every plugin, the config
 * checker) load after `--version` is answered: a version check costs a runtime's
 * start and no more. Then only the command given loads, and the built-in plugins
 * only if it uses them all (see Command.plugins).
 */
import type { PluginRegistry } from "../core/config/validate.ts";
import { formatError } from "../core/errors.ts";
import { prestartWorkers, type PrestartedWorkers } from "../core/parallel/prestart.ts";
import type { Runtime } from "../core/runtime.ts";
import type { Command, CommandContext, OptionSpec, ParsedArgs } from "./commands/command.ts";
import type { CommandEntry } from "./commands/mod.ts";

import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;

const DEFAULT_COMMAND = "run";

function optionHelp(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`;
    return `  ${flag.padEnd(30)} ${o.description}`;
  });
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `logsim ${VERSION}: simulate, collect and process logs`,
    "",
    "Usage: logsim [command] [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help      Show help (also: logsim <command> --help)",
    "  -v, --version   Show the version",
    "",
    "Environment (read by the default logsim.config.ts): LOG_LEVEL, LOG_FREQUENCY, LOG_FORMAT, LOG_FILE, WEB_PORT",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: logsim ${command.name} [options]`, "", command.summary];
  if (Object.keys(command.options).length) lines.push("", "Options:", ...optionHelp(command.options));
  lines.push(`  -h, --help${" ".repeat(21)}Show this help`);
  if (command.details) lines.push("", command.details);
  return lines.join("\n");
}

/**
 * Runs the CLI and returns the exit code, once everything it printed has been
 * written (the caller exits right after). Never throws for user errors and
 * prints no stack trace for them.
 */
export async function main(argv: readonly string[], runtime: Runtime, registry?: PluginRegistry): Promise<number> {
  const code = await dispatch(argv, runtime, registry);
  await Promise.all([runtime.stdout.flush(), runtime.stderr.flush()]);
  return code;
}

/** The plugins a run of a command may configure: those it names, or every built-in. */
async function pluginsOf(command: Command, args: ParsedArgs): Promise<PluginRegistry> {
  const plugins = command.plugins ? await command.plugins(args) : (await import("../plugins/mod.ts")).builtinPlugins;
  return new Map(plugins.map((p) => [p.name, p]));
}

const print = (runtime: Runtime, text: string) => runtime.stdout.write(`${text}\n`);

async function fail(runtime: Runtime, lines: string[], code = 1): Promise<number> {
  await runtime.stderr.write(lines.map((l) => `${l}\n`).join(""));
  return code;
}

async function dispatch(argv: readonly string[], runtime: Runtime, registry?: PluginRegistry): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v") return (await print(runtime, VERSION), 0);
  const { commands } = await import("./commands/mod.ts");
  if (first === "--help" || first === "-h" || first === "help") return (await print(runtime, mainHelp(await Promise.all(commands.map((c) => c.load())))), 0);
  const explicit = first !== undefined && !first.startsWith("-");
  const entry = explicit ? commands.find((c) => c.name === first) : commands.find((c) => c.name === DEFAULT_COMMAND)!;
  if (!entry) return fail(runtime, [`Unknown command "${first}". Run logsim --help for the list.`], 2);
  const args = explicit ? rest : argv;
  // Threads the run will want start first: they load their modules while this thread loads the command, the plugins and the config.
  const help = args.includes("--help") || args.includes("-h");
  const threads = prestartWorkers(runtime, help ? 0 : (entry.threads?.(args) ?? 0));
  try {
    return await runEntry(entry, args, explicit, threads, registry);
  } finally {
    threads.close();
  }
}

async function runEntry(entry: CommandEntry, args: readonly string[], explicit: boolean, threads: PrestartedWorkers, registry?: PluginRegistry): Promise<number> {
  const { runtime } = threads;
  const [command, { parseCommandArgs }] = await Promise.all([entry.load(), import("./commands/args.ts")]);
  if (args.includes("--help") || args.includes("-h")) return (await print(runtime, commandHelp(command)), 0);
  // The default command also stands for the top level: `logsim -V` may have meant -v.
  const parsed = parseCommandArgs(args, command.options, explicit ? ["--help", "-h"] : ["--help", "-h", "--version", "-v"]);
  if (parsed.isErr()) return fail(runtime, [`${parsed.error}; logsim ${explicit ? `${command.name} ` : ""}--help lists the options`], 2);
  const ctx: CommandContext = { runtime, version: VERSION, registry: registry ?? (await pluginsOf(command, parsed.value)), releaseThreads: threads.close };
  try {
    const result = await command.run(parsed.value, ctx);
    if (result.isOk()) return result.value;
    return fail(runtime, formatError(result.error), result.error.kind === "cli.usage" ? 2 : 1);
  } catch (error) {
    // A bug, not a user error: say so, with the stack, so it can be reported.
    return fail(runtime, [`logsim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`], 70);
  }
}
