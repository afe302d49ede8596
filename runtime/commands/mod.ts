/** Every CLI command, in the order `logsim --help` lists them. Add a command by adding its file here. */
import { chaosCommand } from "./chaos.ts";
import { collectCommand } from "./collect.ts";
import type { Command } from "./command.ts";
import { generateCommand } from "./generate.ts";
import { newCommand } from "./new.ts";
import { pluginsCommand } from "./plugins.ts";
import { runCommand } from "./run.ts";
import { schemaCommand } from "./schema.ts";
import { validateCommand } from "./validate.ts";
import { verifyCommand } from "./verify.ts";

export const commands: readonly Command[] = [runCommand, generateCommand, collectCommand, chaosCommand, verifyCommand, validateCommand, pluginsCommand, schemaCommand, newCommand];
