/** Finds, imports and validates a config file. All failures come back as a Result. */
import { err, errAsync, okAsync, ResultAsync, type Result } from "neverthrow";
import { resolve } from "node:path";
import { systemClock, type Clock } from "../clock.ts";
import { messageOf, type LogsimError } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { ConfigContext } from "./define.ts";
import { parseDuration } from "./fields.ts";
import { loadModulePlugins } from "./plugin-loader.ts";
import { findJsonSyntaxError, type SyntaxProblem } from "./syntax.ts";
import { validateConfig, type PluginRegistry, type ResolvedConfig } from "./validate.ts";

/** Looked for, in order, when no `--config` is given. */
export const DEFAULT_CONFIG_FILES = ["logsim.config.ts", "logsim.config.mts", "logsim.config.js", "logsim.config.mjs", "logsim.config.json"];

/**
 * Longest the config module may take to load, and then a function-form config to
 * return its config. One that never resolves would otherwise leave `validate` and
 * `run` waiting with no output. Its own limit: `hookTimeout` is inside the config.
 */
export const CONFIG_TIMEOUT_MS = 10_000;

/** Raises or lowers CONFIG_TIMEOUT_MS for a config that is slow by design (one that fetches its secrets): a duration such as `30s`. */
export const CONFIG_TIMEOUT_ENV = "LOGSIM_CONFIG_TIMEOUT";

export interface LoadOptions {
  /** Times the import and the config function (default: the system clock). */
  clock?: Clock;
  /** Default: $LOGSIM_CONFIG_TIMEOUT, else CONFIG_TIMEOUT_MS. */
  timeoutMs?: number;
}

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

/** Engines put the whole stack in some messages; users need the first line. */
const firstLine = (error: unknown) => messageOf(error).split("\n")[0]!;

class ConfigTimeout {
  constructor(readonly ms: number) {}
}

class ConfigSyntax {
  constructor(readonly problem: SyntaxProblem) {}
}

/** `work`, or a ConfigTimeout rejection once the limit has passed; the timer ends with the work. */
function within<T>(work: Promise<T>, options: LoadOptions): Promise<T> {
  const ms = options.timeoutMs ?? CONFIG_TIMEOUT_MS;
  const timer = new AbortController();
  const limit = (options.clock ?? systemClock).sleep(ms, timer.signal).then((elapsed) => (elapsed ? Promise.reject(new ConfigTimeout(ms)) : new Promise<never>(() => {})));
  return Promise.race([work, limit]).finally(() => timer.abort());
}

function readExport(runtime: Runtime, path: string, options: LoadOptions): ResultAsync<unknown, LogsimError> {
  if (path.endsWith(".json")) {
    const text = runtime.fs.readText(path) ?? "";
    try {
      return okAsync(JSON.parse(text));
    } catch (error) {
      const problem = findJsonSyntaxError(text);
      return errAsync(problem ? { kind: "config.syntax", path, problem } : { kind: "config.load-failed", path, message: firstLine(error) });
    }
  }
  return ResultAsync.fromPromise(
    within(runtime.importModule(path), options).catch(async (error) => {
      // Engines give a syntax error without its place (Bun, Deno) or cut it (Node with tsx): find it ourselves.
      const problem = error instanceof ConfigTimeout ? undefined : await runtime.findSyntaxError(path, runtime.fs.readText(path) ?? "").catch(() => undefined);
      throw problem ? new ConfigSyntax(problem) : error;
    }),
    (error): LogsimError =>
      error instanceof ConfigSyntax
        ? { kind: "config.syntax", path, problem: error.problem }
        : {
            kind: "config.load-failed",
            path,
            message: error instanceof ConfigTimeout ? `the config module did not finish loading within ${error.ms / 1000} s (a top-level await that never resolves?)` : firstLine(error),
          },
  ).andThen((module) => {
    if (!("default" in module)) return errAsync<unknown, LogsimError>({ kind: "config.load-failed", path, message: "no default export (use `export default defineConfig({ ... })`)" });
    return okAsync(module.default);
  });
}

/** Calls a function-form config with the runtime's environment, within the limit. */
function evaluate(value: unknown, runtime: Runtime, path: string, options: LoadOptions): ResultAsync<unknown, LogsimError> {
  if (typeof value !== "function") return okAsync(value);
  const ctx: ConfigContext = { env: (name) => runtime.env(name) };
  const called = Promise.resolve().then(() => (value as (c: ConfigContext) => unknown)(ctx));
  return ResultAsync.fromPromise(within(called, options), (error): LogsimError => ({
    kind: "config.load-failed",
    path,
    message: error instanceof ConfigTimeout ? `the config function did not return a config within ${error.ms / 1000} s` : `the config function threw: ${firstLine(error)}`,
  }));
}

/**
 * Validates what the config file gave. Validation reads the user's objects, and a
 * getter or a Proxy trap in them may throw: that is a problem in the config, not a bug.
 */
function validate(value: unknown, runtime: Runtime, registry: PluginRegistry, path: string): Result<LoadedConfig, LogsimError> {
  try {
    return validateConfig(value, { registry, normalizePath: (p) => resolve(runtime.cwd(), p) })
      .map((config) => ({ path, config }))
      .mapErr((error): LogsimError => ({ ...error, path }));
  } catch (error) {
    return err({ kind: "config.load-failed", path, message: `reading the config threw: ${firstLine(error)}` });
  }
}

/** A config file's value before validation, with the registry extended by the plugins it names by module. */
export interface ConfigWithPlugins {
  path: string;
  value: unknown;
  registry: PluginRegistry;
}

/**
 * Reads the config file (calling a function-form config) and loads the plugins it
 * names by module (`{ "use": "./plugins/x.ts" }`, a package name, `jsr:`; see
 * plugin-loader.ts). For `logsim plugins --config` and `logsim schema --config`.
 */
export function loadConfigPlugins(runtime: Runtime, registry: PluginRegistry, explicit?: string, options: LoadOptions = {}): ResultAsync<ConfigWithPlugins, LogsimError> {
  const path = findConfigFile(runtime, explicit);
  if (!runtime.fs.stat(path)?.isFile) return errAsync({ kind: "config.not-found", path });
  const fromEnv = runtime.env(CONFIG_TIMEOUT_ENV);
  if (options.timeoutMs === undefined && fromEnv !== undefined && fromEnv !== "") {
    const ms = parseDuration(fromEnv);
    if (ms === undefined || ms <= 0) return errAsync({ kind: "config.load-failed", path, message: `${CONFIG_TIMEOUT_ENV}=${fromEnv} is not a duration such as 30s` });
    options = { ...options, timeoutMs: ms };
  }
  return readExport(runtime, path, options)
    .andThen((value) => evaluate(value, runtime, path, options))
    .andThen((value) => loadModulePlugins(runtime, registry, path, value).map((extended) => ({ path, value, registry: extended })));
}

export function loadConfig(runtime: Runtime, registry: PluginRegistry, explicit?: string, options: LoadOptions = {}): ResultAsync<LoadedConfig, LogsimError> {
  return loadConfigPlugins(runtime, registry, explicit, options).andThen(({ path, value, registry: extended }) => validate(value, runtime, extended, path));
}
