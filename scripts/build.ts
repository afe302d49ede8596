/**
 * Builds what an installed package needs into dist/:
 * - JavaScript for Node and Deno (Node 20 has no type stripping; Deno strips
 *   none under node_modules): every entry in package.json `exports` plus the
 *   CLIs, bundled with shared chunks so "logsim", "logsim/plugins" and the CLI
 *   share one copy of core. Dependencies stay external. Bun runs the sources.
 * - Type declarations in dist/types, one `.d.ts` per source file (tsc), so the
 *   entries share declarations (a PluginSpec from "logsim/plugins" is the one
 *   "logsim" knows) and users type-check against .d.ts, not our .ts sources.
 *
 * The entries come from package.json: an export's `source` path is built to
 * its `node` path and declared at its `types` path. Adding an entry
 * (`./host`, `./testing`) is one exports block there.
 */
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publicEntries } from "./entries.ts";

// The workers of parallel parsing (core/parallel) are entries of their own: runtime.startWorker starts them by URL.
const CLI_ENTRIES = { "runtime/node/main": "runtime/node/main.ts", "runtime/deno/main": "runtime/deno/main.ts", "runtime/node/worker": "runtime/node/worker.ts", "runtime/deno/worker": "runtime/deno/worker.ts" };
const TYPES_DIR = "dist/types";

rmSync("dist", { recursive: true, force: true });
const entries = publicEntries();

await build({
  entryPoints: { ...Object.fromEntries(entries.map((e) => [e.js.replace(/^dist\//, "").replace(/\.js$/, ""), e.source])), ...CLI_ENTRIES },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});

// The dashboard reads its files beside the module that loads them (plugins/web/assets.ts), bundled in a chunk at dist/.
cpSync("plugins/web/static", "dist/static", { recursive: true });

emitDeclarations(entries.map((e) => e.source));
console.log(`built dist/ (${entries.map((e) => e.name).join(", ")} and the CLIs)`);

/** tsc writes the .d.ts files; their `./x.ts` imports then become `./x.js`, which resolves to x.d.ts for any user setting. */
function emitDeclarations(files: string[]) {
  const tsconfig = "dist/tsconfig.types.json";
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: "../tsconfig.json",
      compilerOptions: { noEmit: false, emitDeclarationOnly: true, declaration: true, outDir: "types", rootDir: "..", types: ["node"] },
      include: [],
      files: files.map((f) => `../${f}`),
    }),
  );
  const tsc = spawnSync(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", tsconfig], { stdio: "inherit" });
  rmSync(tsconfig);
  if (tsc.status !== 0) throw new Error("tsc could not emit the type declarations (see above)");
  for (const file of walk(TYPES_DIR)) {
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(file, "utf8");
    const fixed = rewriteTsSpecifiers(text);
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

/** `from "./a.ts"`, `import("../b.ts")` and `declare module "./c.ts"` (relative only) to `.js`. */
function rewriteTsSpecifiers(text: string): string {
  return text.replace(/((?:from|import|module)\s*\(?\s*["'])(\.{1,2}\/[^"']*?)\.(m?)ts(["'])/g, (_all, head: string, path: string, m: string, tail: string) => `${head}${path}.${m}js${tail}`);
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
