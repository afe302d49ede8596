/**
 * Compiles what Node and Deno need from an installed package into dist/
 * (Node 20 has no type stripping; Deno strips none under node_modules): the
 * public modules and the CLIs, bundled with shared chunks so "logsim",
 * "logsim/host", "logsim/plugins" and the CLI share one copy of core. Dependencies stay
 * external. Bun runs the TypeScript sources.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { "core/mod": "core/mod.ts", "core/host": "core/host.ts", "plugins/mod": "plugins/mod.ts", "runtime/node/main": "runtime/node/main.ts", "runtime/deno/main": "runtime/deno/main.ts" },
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
console.log("built dist/");
