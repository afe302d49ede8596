#!/usr/bin/env node
// The installed `logsim` command. Bun runs the TypeScript sources directly;
// Node runs the compiled bundle in dist/ (built by `npm run build`).
if (globalThis.Bun) await import("../runtime/bun/main.ts");
else await import("../dist/runtime/node/main.js");
