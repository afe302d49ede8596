/**
 * Finds the file a package specifier (`logsim-plugin-foo`, `@acme/logsim-redact/sink`)
 * names, looked up from a folder as Node does: `node_modules/<name>` in that folder
 * or the nearest one above, then the package's `exports` (conditions in the
 * package's own order), else its `main`. Enough for plugin packages, which a
 * logsim.config.json names from the config's folder, not from where logsim is.
 */
import { dirname, join, resolve } from "node:path";
import type { FileSystem } from "../runtime.ts";

type ExportTarget = string | null | ExportTarget[] | { [condition: string]: ExportTarget };

/** `@scope/name/sub` to `["@scope/name", "./sub"]`; `name` to `["name", "."]`. */
export function splitPackageSpecifier(specifier: string): [name: string, subpath: string] {
  const parts = specifier.split("/");
  const size = specifier.startsWith("@") ? 2 : 1;
  const rest = parts.slice(size).join("/");
  return [parts.slice(0, size).join("/"), rest ? `./${rest}` : "."];
}

function pickTarget(target: ExportTarget | undefined, conditions: readonly string[], star?: string): string | undefined {
  if (target === null || target === undefined) return undefined;
  if (typeof target === "string") return star === undefined ? target : target.replaceAll("*", star);
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = pickTarget(t, conditions, star);
      if (found) return found;
    }
    return undefined;
  }
  for (const [condition, value] of Object.entries(target)) {
    if (conditions.includes(condition)) return pickTarget(value, conditions, star);
  }
  return undefined;
}

/** The target of `subpath` in a package's `exports` field (sugar forms, `./*` patterns and conditions). */
export function resolveExports(exports: ExportTarget, subpath: string, conditions: readonly string[]): string | undefined {
  const isSubpathMap = typeof exports === "object" && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith("."));
  const map = isSubpathMap ? (exports as Record<string, ExportTarget>) : { ".": exports };
  if (subpath in map) return pickTarget(map[subpath], conditions);
  for (const [key, target] of Object.entries(map)) {
    const [head, tail] = key.split("*");
    if (tail === undefined || !subpath.startsWith(head!) || !subpath.endsWith(tail) || subpath.length < key.length - 1) continue;
    return pickTarget(target, conditions, subpath.slice(head!.length, subpath.length - tail.length));
  }
  return undefined;
}

/** The package's folder, found from `fromDir` upwards, or undefined when it is not installed there. */
export function findPackageDir(fs: FileSystem, fromDir: string, name: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (fs.stat(join(candidate, "package.json"))?.isFile) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export type PackageResolution = { ok: true; path: string } | { ok: false; reason: "not-installed" | "not-exported"; packageDir?: string };

/** Resolves `specifier` from `fromDir` under `conditions` (the runtime's name, "node", "import", "default"). */
export function resolvePackage(fs: FileSystem, fromDir: string, specifier: string, conditions: readonly string[]): PackageResolution {
  const [name, subpath] = splitPackageSpecifier(specifier);
  const packageDir = findPackageDir(fs, fromDir, name);
  if (!packageDir) return { ok: false, reason: "not-installed" };
  const manifest = JSON.parse(fs.readText(join(packageDir, "package.json")) ?? "{}") as { exports?: ExportTarget; main?: string };
  const target =
    manifest.exports !== undefined ? resolveExports(manifest.exports, subpath, conditions) : subpath === "." ? (manifest.main ?? "index.js") : subpath;
  if (!target) return { ok: false, reason: "not-exported", packageDir };
  return { ok: true, path: join(packageDir, target) };
}
