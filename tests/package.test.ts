/**
 * logsim as a user gets it: `npm pack`, installed into a fresh project, with
 * a logsim.config.ts that imports "logsim" and "logsim/plugins". The
 * installed CLI is run under the runtime running this test.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, tempDir } from "./_helpers.ts";

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });

/** The installed CLI under the current runtime, the way a user would start it. */
function installedCli(project: string): { cmd: string; args: string[] } {
  const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
  const pkg = join(project, "node_modules/logsim");
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ["run", "-A", "--quiet", join(pkg, "dist/runtime/deno/main.js")] };
  return { cmd: process.execPath, args: [join(project, "node_modules/.bin/logsim")] };
}

test("an installed package runs a user's typed logsim.config.ts that imports logsim", { timeout: 300_000 }, () => {
  const { dir, cleanup } = tempDir("logsim-pkg-");
  try {
    const tarball = npm(["pack", "--silent", "--pack-destination", dir], ROOT).trim().split("\n").at(-1)!;
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
    npm(["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball)], dir);
    writeFileSync(
      join(dir, "logsim.config.ts"),
      `import { defineConfig } from "logsim";
import { heartbeat, jsonl } from "logsim/plugins";
const count: number = 3;
export default defineConfig({
  pipelines: { beat: { sources: [heartbeat({ interval: "5ms", count })], sinks: [jsonl({ path: "out/beat.jsonl" })] } },
});\n`,
    );
    const { cmd, args } = installedCli(dir);
    const validate = spawnSync(cmd, [...args, "validate"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(validate.status, 0, validate.stderr);
    assert.match(validate.stdout, /ok \(1 pipeline, 2 plugins\)/);
    const run = spawnSync(cmd, [...args, "run"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const lines = readFileSync(join(dir, "out/beat.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(lines.map((l) => JSON.parse(l).seq), [1, 2, 3]);
  } finally {
    cleanup();
  }
});
