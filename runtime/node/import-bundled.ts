/**
 * Imports a TypeScript module on a Node that cannot (Node 20 has no type
 * stripping), whatever the user's package.json says. esbuild bundles the file
 * with the local files it imports into one ES module in a fresh temporary
 * folder, which Node then imports natively (Vite loads its config this way).
 *
 * Why not tsx's loader: in a project whose package.json says "type":
 * "commonjs" (what `npm init -y` writes) tsx hands a `.ts` file with `import`
 * syntax to Node's CommonJS loader, which fails with "Cannot require() ES
 * Module ... not yet fully loaded". Why a temporary folder and not a file
 * beside the config: the user's folder may be read-only (a mounted
 * ConfigMap) or watched (`run --watch`), and nothing is left behind in it.
 *
 * Packages stay external, resolved by esbuild from the importing file's folder
 * (with Node's conditions, and any --conditions Node was started with) to file
 * URLs, so "logsim" is the same module the CLI runs. Each call bundles afresh:
 * importing a changed file again gives the new version.
 */
import type { Plugin } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The --conditions (-C) Node was started with, which the user's packages may be exported under. */
export function nodeConditions(execArgv: readonly string[], nodeOptions = ""): string[] {
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  return args.flatMap((arg, i) => {
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) return [inline[1]!];
    return (arg === "--conditions" || arg === "-C") && args[i + 1] ? [args[i + 1]!] : [];
  });
}

/** Relative and absolute paths, Windows drives, and URLs (node:, file:, data:) are not packages. */
const NOT_BARE = /^(?:[./]|[a-zA-Z]:[\\/]|[a-z][a-z0-9+.-]*:)/;

/** Bare specifiers become external file URLs, resolved where the importing file is. */
const externalPackages: Plugin = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === externalPackages || NOT_BARE.test(args.path)) return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: externalPackages });
      if (found.errors.length > 0 || found.external || !found.path) return { errors: found.errors };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};

export async function importBundled(path: string, conditions: string[] = nodeConditions(process.execArgv, process.env.NODE_OPTIONS)): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "logsim-module-"));
  const outfile = join(dir, `${basename(path).replace(/\.[cm]?[jt]s$/, "")}.mjs`);
  const url = pathToFileURL(path).href;
  try {
    // Loaded on first use: most runs import no TypeScript on Node.
    const { build } = await import("esbuild");
    await build({
      entryPoints: [path],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      conditions,
      sourcemap: "inline",
      logLevel: "silent",
      plugins: [externalPackages],
      // The bundle lives elsewhere: the module keeps seeing its own location.
      define: { "import.meta.url": JSON.stringify(url), "import.meta.filename": JSON.stringify(path), "import.meta.dirname": JSON.stringify(dirname(path)) },
    }).catch((error: { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }) => {
      const first = error.errors?.[0];
      if (!first) throw error;
      const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
      throw new Error(`${at}${first.text}`);
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
