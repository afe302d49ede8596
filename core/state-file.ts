/**
 * Where a plugin instance keeps state between runs (saved positions, a
 * cursor): a file named after its stable id, so editing the config around it
 * does not orphan it.
 */
import { join } from "node:path";
import { legacyFileStem } from "./config/ids.ts";
import { messageOf } from "./errors.ts";
import type { PluginContext } from "./plugin.ts";

/**
 * The path of this instance's state file in `dir`: `<dir>/<id>.json`. Before plugin ids, the
 * file was named after the instance's position (`pipelines.collect.sources_0_.json`): when only
 * that one exists, it is renamed to the new name first (one atomic rename, done once), so an
 * upgrade keeps the saved state. `dir` must exist for the rename; a missing one means no state.
 *
 * @example
 * const path = stateFile(ctx, join(ctx.runtime.cwd(), ".logsim/state"));
 * const saved = ctx.runtime.fs.readText(path);
 */
export function stateFile(ctx: Pick<PluginContext, "id" | "location" | "runtime" | "log">, dir: string, extension = ".json"): string {
  const path = join(dir, `${ctx.id}${extension}`);
  if (ctx.location === undefined) return path;
  const legacy = join(dir, `${legacyFileStem(ctx.location)}${extension}`);
  if (legacy === path) return path;
  const { fs } = ctx.runtime;
  if (!fs.stat(legacy)?.isFile) return path;
  if (fs.stat(path)) {
    ctx.log.warn(`both ${legacy} (named by position, before plugin ids) and ${path} exist; using ${path} and leaving the other alone`);
    return path;
  }
  try {
    fs.rename(legacy, path);
    ctx.log.info(`moved the saved state ${legacy} to ${path} (state files are now named by plugin id)`);
    return path;
  } catch (error) {
    // Keep using the old file this run rather than start without the state; the next start tries again.
    ctx.log.warn(`cannot move the saved state ${legacy} to ${path}: ${messageOf(error)}; using ${legacy} this run`);
    return legacy;
  }
}

/**
 * Whether a source should fsync the state it saves (`writeAtomic(path, text, { sync })`): only if
 * some sink of its pipeline writes so as to survive a power loss (`fsync: true`). Otherwise the lines
 * written live in the page cache, as state written without an fsync does: both survive a kill -9, and
 * an fsynced position could outlast the lines it stands for, at the cost of two fsyncs a save.
 *
 * @example
 * ctx.runtime.fs.writeAtomic(path, JSON.stringify(state), { sync: syncState(ctx), inPlace: true });
 */
export function syncState(ctx: Pick<PluginContext, "pipeline" | "app">): boolean {
  return ctx.pipeline !== undefined && ctx.app.durable ? ctx.app.durable(ctx.pipeline) : true;
}
