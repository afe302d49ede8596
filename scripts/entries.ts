/**
 * The package's public entries, read from package.json `exports`: each is built
 * from its `source` to its `node` file, with declarations at `types`. The one
 * list scripts/build.ts and the package tests work from.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PublicEntry {
  /** The subpath users import: ".", "./plugins". */
  name: string;
  /** The TypeScript source, relative to the package root. */
  source: string;
  /** The compiled JavaScript for Node and Deno. */
  js: string;
  /** The type declarations. */
  types: string;
}

interface ExportConditions {
  source?: string;
  types?: string;
  node?: string;
}

const strip = (path: string) => path.replace(/^\.\//, "");

export function publicEntries(packageJson = join(dirname(fileURLToPath(import.meta.url)), "../package.json")): PublicEntry[] {
  const { exports } = JSON.parse(readFileSync(packageJson, "utf8")) as { exports: Record<string, string | ExportConditions> };
  return Object.entries(exports).flatMap(([name, target]) => {
    if (typeof target === "string") return []; // ./package.json
    const { source, types, node } = target;
    if (!source || !types || !node) throw new Error(`package.json exports["${name}"] needs source, types and node paths`);
    const expectedTypes = `dist/types/${strip(source).replace(/\.ts$/, ".d.ts")}`;
    if (strip(types) !== expectedTypes) throw new Error(`package.json exports["${name}"].types should be ./${expectedTypes} (where tsc writes ${source}'s declarations)`);
    return [{ name, source: strip(source), js: strip(node), types: strip(types) }];
  });
}
