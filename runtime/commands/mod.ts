/**
 * Every CLI command, in the order `logsim --help` lists them. Add a command by adding its file here.
 *
 * Each loads when it runs: a command's imports (collect's parsers, chaos's driver, the web
 * stack behind run) are CPU that `logsim generate --count 1000` would otherwise spend before
 * its first event. Only `logsim --help` loads them all, for their summaries.
 */
import type { Command } from "./command.ts";
import { workersFlag } from "./_workers-flag.ts";

/** A command by name, loaded on demand. */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
  /**
   * How many parsing threads a run with these arguments will start, read before the command loads:
   * the CLI starts them first, and they load their modules while this thread loads the command,
   * the plugins and the config (core/parallel/prestart.ts). A guess that proves wrong costs
   * threads that are ended unused.
   */
  threads?(args: readonly string[]): number;
}

export const commands: readonly CommandEntry[] = [
  { name: "run", load: async () => (await import("./run.ts")).runCommand },
  { name: "generate", load: async () => (await import("./generate.ts")).generateCommand },
  { name: "collect", load: async () => (await import("./collect.ts")).collectCommand, threads: workersFlag },
  { name: "chaos", load: async () => (await import("./chaos.ts")).chaosCommand },
  { name: "verify", load: async () => (await import("./verify.ts")).verifyCommand },
  { name: "validate", load: async () => (await import("./validate.ts")).validateCommand },
  { name: "plugins", load: async () => (await import("./plugins.ts")).pluginsCommand },
  { name: "schema", load: async () => (await import("./schema.ts")).schemaCommand },
  { name: "new", load: async () => (await import("./new.ts")).newCommand },
];
