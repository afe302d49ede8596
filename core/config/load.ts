/** Finds, imports and validates a config file. All failures come back as a Result. */
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import { resolve } from "node:path";
import { messageOf, type LogsimError } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { ConfigContext } from "./define.ts";
import { validateConfig, type PluginRegistry, type ResolvedConfig } from "./validate.ts";

/** Looked for, in order, when no `--config` is given. */
export const DEFAULT_CONFIG_FILES = ["logsim.config.ts", "logsim.config.mts", "logsim.config.js", "logsim.config.mjs", "logsim.config.json"];

export interface LoadedConfig {
  path: string;
  config: ResolvedConfig;
}

export function findConfigFile(runtime: Runtime, explicit?: string): string {
  if (explicit) return resolve(runtime.cwd(), explicit);
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(runtime.cwd(), name);
    if (runtime.fs.stat(path)?.isFile) return path;
  }
  return resolve(runtime.cwd(), DEFAULT_CONFIG_FILES[0]!);
}

/** A JSON syntax error as `line L, column C: message`, from the position in the engine's message. */
function describeJsonError(text: string, error: unknown): string {
  const message = messageOf(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, "")}`;
}

function readExport(runtime: Runtime, path: string): ResultAsync<unknown, LogsimError> {
  if (path.endsWith(".json")) {
    const text = runtime.fs.readText(path) ?? "";
    try {
      return okAsync(JSON.parse(text));
    } catch (error) {
      return errAsync({ kind: "config.load-failed", path, message: describeJsonError(text, error) });
    }
  }
  return ResultAsync.fromPromise(runtime.importModule(path), (error): LogsimError => ({
    kind: "config.load-failed",
    path,
    // Engines put the whole stack in some messages; users need the first line.
    message: messageOf(error).split("\n")[0]!,
  })).andThen((module) => {
    if (!("default" in module)) return errAsync<unknown, LogsimError>({ kind: "config.load-failed", path, message: "no default export (use `export default defineConfig({ ... })`)" });
    return okAsync(module.default);
  });
}

/** Calls a function-form config with the runtime's environment. */
function evaluate(value: unknown, runtime: Runtime, path: string): ResultAsync<unknown, LogsimError> {
  if (typeof value !== "function") return okAsync(value);
  const ctx: ConfigContext = { env: (name) => runtime.env(name) };
  return ResultAsync.fromPromise(Promise.resolve().then(() => (value as (c: ConfigContext) => unknown)(ctx)), (error): LogsimError => ({
    kind: "config.load-failed",
    path,
    message: `the config function threw: ${messageOf(error)}`,
  }));
}

export function loadConfig(runtime: Runtime, registry: PluginRegistry, explicit?: string): ResultAsync<LoadedConfig, LogsimError> {
  const path = findConfigFile(runtime, explicit);
  if (!runtime.fs.stat(path)?.isFile) return errAsync({ kind: "config.not-found", path });
  return readExport(runtime, path)
    .andThen((value) => evaluate(value, runtime, path))
    .andThen((value) =>
      validateConfig(value, { registry, normalizePath: (p) => resolve(runtime.cwd(), p) })
        .map((config) => ({ path, config }))
        .mapErr((error): LogsimError => ({ ...error, path })),
    );
}
