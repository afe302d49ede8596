/**
 * The built-in plugins as a parsing worker thread (core/parallel) looks them up: by kind and name,
 * importing only the folder that holds the plugin (all parsers are one folder), not every built-in.
 * A thread never builds a source, the dashboard or NATS; importing them all cost each thread about
 * 0.15 s of CPU on Node (measured: a bundle of every built-in against one of the parsers, filter,
 * tag and jsonl). A name outside these folders falls back to the whole list.
 */
import type { PluginKind } from "../core/mod.ts";

/** The folder of each built-in transform and sink a thread can run (`parallel`, or an `encoder`). */
const FOLDERS: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {
  "transform:filter": () => import("./filter/mod.ts"),
  "transform:tag": () => import("./tag/mod.ts"),
  "transform:redact": () => import("./redact/mod.ts"),
  "sink:jsonl": () => import("./jsonl/mod.ts"),
};

/**
 * What may hold the built-in `name` of `kind`: the exports of its folder's entry, or every
 * built-in's definition. The caller finds the definition among them (core/parallel/worker-loop.ts).
 *
 * @example
 * const candidates = await threadPluginCandidates("parser", "json"); // the exports of plugins/parsers/mod.ts
 */
export async function threadPluginCandidates(kind: PluginKind, name: string): Promise<readonly unknown[]> {
  const load = kind === "parser" ? () => import("./parsers/mod.ts") : FOLDERS[`${kind}:${name}`];
  if (load) return Object.values(await load());
  return (await import("./mod.ts")).builtinPlugins;
}

/**
 * Imports the folders most thread setups use (the parsers, filter, tag, jsonl), before the setup
 * names them: a thread started ahead of time (core/parallel/prestart.ts) loads them while the main
 * thread loads the config.
 *
 * @example
 * await preloadThreadPlugins(); // later lookups of these folders find them loaded
 */
export const preloadThreadPlugins = (): Promise<unknown> => Promise.all([import("./parsers/mod.ts"), FOLDERS["transform:filter"]!(), FOLDERS["transform:tag"]!(), FOLDERS["sink:jsonl"]!()]);
