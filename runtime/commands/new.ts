/**
 * `logsim new plugin NAME --kind KIND`: scaffolds a plugin folder (the plugin
 * with its zod schema, a test that passes at once, a README) that imports
 * "logsim" as any project does. It never overwrites: an existing folder that
 * is not empty is refused.
 */
import { err, ok } from "neverthrow";
import { join, relative, resolve } from "node:path";
import type { LogsimError } from "../../core/errors.ts";
import type { Command, OptionSpec } from "./command.ts";
import { scaffoldFiles, type ScaffoldKind } from "./new-templates.ts";

const KINDS: readonly ScaffoldKind[] = ["source", "parser", "transform", "sink", "service"];
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Words a factory cannot be named (`new` -> `newPlugin`). */
const RESERVED = new Set("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(" "));

const options: Record<string, OptionSpec> = {
  kind: { type: "string", short: "k", value: "KIND", description: `What the plugin is: ${KINDS.join(", ")}` },
  dir: { type: "string", short: "d", value: "DIR", description: "Folder to create (default: ./NAME)" },
};

/** `my-sink` -> `mySink`. */
export function factoryName(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return RESERVED.has(camel) ? `${camel}Plugin` : camel;
}

const usage = (message: string): LogsimError => ({ kind: "cli.usage", message: `${message}\nUsage: logsim new plugin NAME --kind ${KINDS.join("|")} [--dir DIR]` });

export const newCommand: Command = {
  name: "new",
  summary: "Scaffold a plugin: logsim new plugin NAME --kind source|parser|transform|sink|service",
  details: [
    "Writes NAME/mod.ts (the plugin and its zod schema), NAME/NAME.test.ts (a test that passes as written) and NAME/README.md.",
    "NAME is kebab-case (my-sink); the factory is its camelCase (mySink). An existing folder that is not empty is never overwritten.",
    "Example:",
    "  logsim new plugin audit-sink --kind sink && bun test audit-sink/",
  ].join("\n"),
  options,
  async run({ values, positionals }, { runtime }) {
    const [what, name, ...extra] = positionals;
    if (what !== "plugin") return err(usage(what === undefined ? "What to create is missing" : `Cannot create "${what}": only "plugin"`));
    if (name === undefined) return err(usage("The plugin's NAME is missing"));
    if (extra.length > 0) return err(usage(`Unexpected ${extra.map((e) => JSON.stringify(e)).join(" ")}`));
    if (!KEBAB.test(name)) return err(usage(`NAME must be kebab-case, such as my-sink (lower-case letters and digits, words joined by -), got "${name}"`));
    const kind = values.kind as string | undefined;
    if (kind === undefined) return err(usage("--kind is missing"));
    if (!(KINDS as readonly string[]).includes(kind)) return err(usage(`--kind: expected one of ${KINDS.join(", ")}, got "${kind}"`));
    const dir = resolve(runtime.cwd(), (values.dir as string | undefined) ?? name);
    const existing = runtime.fs.stat(dir);
    if (existing && !existing.isDirectory) return err({ kind: "input.invalid", message: `Cannot create ${dir}: a file is in the way` });
    if (existing && runtime.fs.readDir(dir).length > 0) return err({ kind: "input.invalid", message: `Not overwriting ${dir}: the folder is not empty (choose another NAME or --dir)` });
    runtime.fs.mkdirp(dir);
    const files = scaffoldFiles(kind as ScaffoldKind, { name, factory: factoryName(name) });
    for (const [file, text] of Object.entries(files)) runtime.fs.writeAtomic(join(dir, file), text);
    const shown = relative(runtime.cwd(), dir) || ".";
    await runtime.stdout.write(
      [
        `Created ${kind} plugin "${name}" in ${shown}/: ${Object.keys(files).join(", ")}`,
        `Next: bun test ${shown}/   (or: deno test -A ${shown}/, node --import tsx --test ${shown}/${name}.test.ts)`,
        `Use it in logsim.config.ts: import { ${factoryName(name)} } from "./${shown}/mod.ts";`,
        "",
      ].join("\n"),
    );
    return ok(0);
  },
};
