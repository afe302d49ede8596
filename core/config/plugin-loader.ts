/**
 * Plugins a plain-data config names by module instead of by a built-in name:
 *
 *   { "use": "./plugins/redact.ts" }            a file, relative to the config's folder (.ts, .js, .mjs)
 *   { "use": "logsim-plugin-geoip" }            a package installed for the config's folder
 *   { "use": "jsr:@acme/logsim-redact" }        a JSR (or npm:) specifier, on Deno
 *   { "use": "./plugins/mask.ts#maskEmails" }   the export named after `#`
 *
 * Without `#name` the module's default export is taken, or its only plugin export.
 * The loaded plugins join the registry under the `use` text as written, so
 * validation, `logsim plugins --config` and `logsim schema --config` see them
 * as they see the built-ins.
 */
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import { dirname, isAbsolute, resolve } from "node:path";
import { messageOf, type ConfigIssue, type LogsimError } from "../errors.ts";
import type { PluginDefinition } from "../plugin.ts";
import type { Runtime } from "../runtime.ts";
import { resolvePackage } from "./package-resolve.ts";
import { editDistance, ROLES, type PluginRegistry } from "./validate.ts";

/** A `use` that names a module, where the config names it. */
export interface ModuleUse {
  use: string;
  /** Where in the config: `pipelines.main.transforms[0]`. */
  at: string;
}

const isPath = (use: string) => use.startsWith("./") || use.startsWith("../") || isAbsolute(use) || use.startsWith("file:");
const isRegistrySpecifier = (use: string) => use.startsWith("jsr:") || use.startsWith("npm:");

/** `./x.ts#name` to `["./x.ts", "name"]`; no `#` gives `undefined` for the export. */
export function splitUse(use: string): [module: string, exportName: string | undefined] {
  const hash = use.lastIndexOf("#");
  return hash > 0 ? [use.slice(0, hash), use.slice(hash + 1)] : [use, undefined];
}

/** Every `{ "use": ... }` in the config's plugin lists that the registry does not know. */
export function moduleUses(config: unknown, registry: PluginRegistry): ModuleUse[] {
  const found: ModuleUse[] = [];
  const scan = (list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const use = typeof item === "object" && item !== null && !("definition" in item) ? (item as { use?: unknown }).use : undefined;
      if (typeof use === "string" && !registry.has(use)) found.push({ use, at: `${at}[${i}]` });
    });
  };
  if (typeof config !== "object" || config === null) return found;
  const { pipelines, services } = config as { pipelines?: unknown; services?: unknown };
  if (typeof pipelines === "object" && pipelines !== null) {
    for (const [name, pipeline] of Object.entries(pipelines)) {
      if (typeof pipeline !== "object" || pipeline === null) continue;
      for (const role of Object.keys(ROLES)) scan((pipeline as Record<string, unknown>)[role], `pipelines.${name}.${role}`);
    }
  }
  scan(services, "services");
  return found;
}

/** A factory from definePlugin, or a bare definition. */
function definitionOf(value: unknown): PluginDefinition | undefined {
  const candidate = (typeof value === "function" || typeof value === "object") && value !== null && "definition" in value ? (value as { definition: unknown }).definition : value;
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const d = candidate as Partial<PluginDefinition>;
  const looksLikePlugin = typeof d.name === "string" && typeof d.kind === "string" && typeof d.create === "function" && typeof d.schema?.safeParse === "function";
  return looksLikePlugin ? (candidate as PluginDefinition) : undefined;
}

/** The plugin a module gives for `use`, or the message saying what to change. */
export function pickPlugin(module: Record<string, unknown>, use: string): PluginDefinition | string {
  const [path, exportName] = splitUse(use);
  if (exportName !== undefined) {
    if (!(exportName in module)) return `"${path}" has no export named "${exportName}"`;
    return definitionOf(module[exportName]) ?? `the export "${exportName}" of "${path}" is not a plugin (make it with definePlugin)`;
  }
  const fromDefault = definitionOf(module.default);
  if (fromDefault) return fromDefault;
  const named = Object.entries(module).filter(([name, value]) => name !== "default" && definitionOf(value));
  if (named.length === 1) return definitionOf(named[0]![1])!;
  if (named.length > 1) return `"${path}" exports several plugins (${named.map(([n]) => n).join(", ")}): name one, as "${path}#${named[0]![0]}"`;
  return `"${path}" exports no plugin (export default definePlugin({ ... }), or name the export: "${path}#name")`;
}

/** `import` of a file path goes through the runtime (TypeScript on Node); a `jsr:` specifier straight to Deno. */
type Located = { kind: "import"; target: string; specifier?: boolean } | { kind: "leave" } | { kind: "problem"; message: string };

/** Where the module for `use` is, for this runtime. */
function locate(runtime: Runtime, use: string, configDir: string, registry: PluginRegistry): Located {
  const [spec] = splitUse(use);
  if (isPath(spec)) {
    const path = spec.startsWith("file:") ? new URL(spec).pathname : resolve(configDir, spec);
    return runtime.fs.stat(path)?.isFile ? { kind: "import", target: path } : { kind: "problem", message: `cannot find the plugin file ${path} (a path in "use" is relative to the config's folder)` };
  }
  if (isRegistrySpecifier(spec)) {
    if (runtime.name === "deno") return { kind: "import", target: spec, specifier: true };
    return { kind: "problem", message: `"${spec}" loads on Deno only; on ${runtime.name} install the package (for JSR: npx jsr add ${spec.replace(/^jsr:/, "")}) and use its package name` };
  }
  const resolved = resolvePackage(runtime.fs, configDir, spec, [runtime.name, "node", "import", "default"]);
  if (resolved.ok) return { kind: "import", target: resolved.path };
  if (resolved.reason === "not-exported") return { kind: "problem", message: `the package at ${resolved.packageDir} exports nothing for "${spec}" under the ${runtime.name}, node, import or default conditions` };
  // A name close to a known plugin is more likely a typo: validation says "did you mean".
  if ([...registry.keys()].some((name) => editDistance(name, spec) <= 2)) return { kind: "leave" };
  return { kind: "problem", message: `"${spec}" is not a built-in plugin nor a package installed for ${configDir} (npm install ${spec} there, or use a path: "./plugins/${spec}.ts")` };
}

type Loaded = { definition: PluginDefinition } | { issue: ConfigIssue } | undefined;

async function loadOne(runtime: Runtime, item: ModuleUse, configDir: string, registry: PluginRegistry): Promise<Loaded> {
  const located = locate(runtime, item.use, configDir, registry);
  if (located.kind === "leave") return undefined;
  if (located.kind === "problem") return { issue: { path: item.at, message: located.message } };
  let module: Record<string, unknown>;
  try {
    module = located.specifier ? await import(located.target) : await runtime.importModule(located.target);
  } catch (error) {
    return { issue: { path: item.at, message: `cannot load "${item.use}": ${messageOf(error).split("\n")[0]}` } };
  }
  const picked = pickPlugin(module, item.use);
  return typeof picked === "string" ? { issue: { path: item.at, message: picked } } : { definition: picked };
}

/**
 * The registry plus the plugins the config names by module. Every problem (a
 * missing file or package, a module without a plugin) comes back at once, each
 * with its place in the config, as one `config.invalid`.
 */
export function loadModulePlugins(runtime: Runtime, registry: PluginRegistry, configPath: string, config: unknown): ResultAsync<PluginRegistry, LogsimError> {
  let uses: ModuleUse[];
  try {
    uses = moduleUses(config, registry);
  } catch {
    // A getter or Proxy trap in the user's objects threw: validation reads them again and reports it.
    return okAsync(registry);
  }
  if (uses.length === 0) return okAsync(registry);
  const unique = [...new Map(uses.map((u) => [u.use, u])).values()];
  const configDir = dirname(configPath);
  return ResultAsync.fromSafePromise(Promise.all(unique.map((item) => loadOne(runtime, item, configDir, registry)))).andThen((results) => {
    const issues = results.flatMap((r) => (r && "issue" in r ? [r.issue] : []));
    if (issues.length > 0) return errAsync<PluginRegistry, LogsimError>({ kind: "config.invalid", path: configPath, issues });
    const extended = new Map(registry);
    unique.forEach((item, i) => {
      const loaded = results[i];
      if (loaded && "definition" in loaded) extended.set(item.use, loaded.definition);
    });
    return okAsync<PluginRegistry, LogsimError>(extended);
  });
}
