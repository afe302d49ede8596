/**
 * Reloads `run`'s config on request (a change seen by --watch, a SIGHUP): loads it again
 * from its current source and validates it; an invalid one is reported, one line per
 * problem, and the running config kept; a valid one goes to `app.reload`, and one line
 * says what restarted. Requests during a reload are coalesced into one more reload.
 */
import { relative } from "node:path";
import type { App } from "../../core/app.ts";
import { loadConfig } from "../../core/config/load.ts";
import type { PluginRegistry } from "../../core/config/validate.ts";
import { formatError } from "../../core/errors.ts";
import { formatReloadPlan } from "../../core/reload.ts";
import type { Runtime } from "../../core/runtime.ts";

export interface ReloaderOptions {
  runtime: Runtime;
  registry: PluginRegistry;
  /** The config file, absolute. */
  path: string;
  print(line: string): void;
}

export interface Reloader {
  /** Reloads now, or once more after the reload in progress. */
  request(): void;
  /** Resolves when no reload is in progress or asked for. */
  idle(): Promise<void>;
}

export function createReloader(app: App, options: ReloaderOptions): Reloader {
  const { runtime, registry, path, print } = options;
  // The config module must be read again, not taken from the module cache.
  const fresh: Runtime = { ...runtime, importModule: (file, o) => runtime.importModule(file, { ...o, fresh: true }) };
  const name = relative(runtime.cwd(), path) || path;
  let running: Promise<void> | undefined;
  let again = false;

  async function once(): Promise<void> {
    const loaded = await loadConfig(fresh, registry, path);
    if (loaded.isErr()) {
      print(`not reloaded: ${name} has problems; still running the previous config:`);
      for (const line of formatError(loaded.error)) print(`  ${line}`);
      return;
    }
    const result = await app.reload(loaded.value.config);
    print(`reloaded ${name}: ${formatReloadPlan(result.isOk() ? result.value : result.error.plan)}`);
    if (result.isErr()) for (const error of result.error.errors) for (const line of formatError(error)) print(`warning: ${line}`);
  }

  return {
    request() {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          await once();
        } while (again);
        running = undefined;
      })();
    },
    idle: () => running ?? Promise.resolve(),
  };
}
