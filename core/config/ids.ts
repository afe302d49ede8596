/**
 * Plugin instance ids: what state files, metrics, bus events and the
 * dashboard name a plugin by, so they survive edits to the config around it.
 *
 * An id is the `id` option when the user gives one. Otherwise it is
 * `<pipeline>.<plugin-name>` for the first plugin of that name (without an
 * `id`) in the pipeline, `<pipeline>.<plugin-name>-2` for the second, and so
 * on; a service's is `<plugin-name>`, `<plugin-name>-2`, ... The default does
 * not change when plugins of other names are added, removed or reordered, nor
 * when one of the same name is added after it. It does change when a plugin
 * of the same name is inserted before it or the pipeline is renamed: give
 * stateful plugins (tail, journal) an explicit `id` when that may happen.
 */
import { z } from "zod";

/** Letters, digits, `.`, `_` and `-`, starting with a letter or a digit: safe as a file name everywhere. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const ID_MESSAGE = 'expected an id of letters, digits, ".", "_" and "-" that starts with a letter or a digit (at most 100), such as "app-logs"';

/** The `id` option every plugin accepts, in both config forms. */
export const idOption = () =>
  z
    .string({ error: ID_MESSAGE })
    .regex(ID_PATTERN, { error: ID_MESSAGE })
    .describe("Stable id of this instance: names its state files, metrics and events (default <pipeline>.<plugin>, -2, -3... for repeats)");

type Letter = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k" | "l" | "m" | "n" | "o" | "p" | "q" | "r" | "s" | "t" | "u" | "v" | "w" | "x" | "y" | "z";
type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
type Leading = Letter | Uppercase<Letter> | Digit;
type IdTail<S extends string> = S extends "" ? true : S extends `${infer C}${infer Rest}` ? (C extends Leading | "." | "_" | "-" ? IdTail<Rest> : false) : false;

/**
 * A literal id that breaks ID_PATTERN's charset is a compile error (`never`); a computed
 * `string` (from an environment variable) is checked when the config is validated.
 */
export type CheckedId<I extends string> = string extends I ? I : I extends `${infer C}${infer Rest}` ? (C extends Leading ? (IdTail<Rest> extends true ? I : never) : never) : never;

/** `pipelines.collect.sources[0]` named its state file `pipelines.collect.sources_0_.json` before ids. */
export const legacyFileStem = (location: string): string => location.replace(/[^A-Za-z0-9._-]+/g, "_");

/** Keeps default ids file-name safe for a plugin whose name is not kebab-case. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, "_");

/** Hands out default ids: one counter per (scope, plugin name). */
export function defaultIds(): (scope: string | undefined, pluginName: string) => string {
  const seen = new Map<string, number>();
  return (scope, pluginName) => {
    const base = scope === undefined ? safeName(pluginName) : `${scope}.${safeName(pluginName)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}
