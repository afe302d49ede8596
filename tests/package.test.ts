/**
 * logsim as a user gets it: `npm pack` (what it contains), `deno publish
 * --dry-run`, and a fresh project (`npm init -y`, CommonJS-typed as npm 11
 * writes it) that installs the tarball, writes a transform and a sink plugin,
 * type-checks them with `tsc --init`'s defaults and runs them with the
 * installed CLI under the runtime running this test, started as a user would:
 * `node node_modules/.bin/logsim`, `bunx logsim`, `deno run -A npm:logsim`.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { publicEntries } from "../scripts/entries.ts";
import { ROOT, tempDir, waitFor } from "./_helpers.ts";

const g = globalThis as { Bun?: unknown; Deno?: { execPath(): string } };
const runtimeName = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const exec = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });
const npm = (args: string[], cwd: string) => exec("npm", args, cwd);
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
/** Deno from the dev tools when this test is not running on it, else from PATH (CI). */
const denoPath = () => g.Deno?.execPath() ?? [join(ROOT, ".tools/node_modules/.bin/deno"), bin("deno")].find((p) => existsSync(p)) ?? "deno";

const work = tempDir("logsim-pkg-");
let tarball = "";
// Packing builds dist/ (esbuild, then tsc for the declarations): a minute or more on a loaded machine.
// `npm test` packs once for the three runtimes and names the tarball in LOGSIM_TEST_TARBALL.
before(() => {
  const packed = process.env.LOGSIM_TEST_TARBALL;
  tarball = packed && existsSync(packed) ? packed : join(work.dir, npm(["pack", "--silent", "--pack-destination", work.dir], ROOT).trim().split("\n").at(-1)!);
}, { timeout: 300_000 });
after(() => work.cleanup());

test("npm pack ships compiled JS and .d.ts for every entry, the CLIs, and no tests", () => {
  const files = exec("tar", ["-tzf", tarball], work.dir).split("\n").map((f) => f.replace(/^package\//, ""));
  assert.ok(files.includes("dist/static/index.html"), "the dashboard's files, beside the bundled chunks that read them");
  const entries = publicEntries();
  assert.deepEqual(entries.map((e) => e.name), [".", "./host", "./plugins", "./testing"]);
  for (const e of entries) {
    assert.ok(files.includes(e.js), `${e.name}: ${e.js} in the tarball`);
    assert.ok(files.includes(e.types), `${e.name}: ${e.types} in the tarball`);
  }
  for (const f of ["bin/logsim.js", "dist/runtime/node/main.js", "dist/runtime/deno/main.js", "runtime/bun/main.ts"]) assert.ok(files.includes(f), f);
  assert.deepEqual(files.filter((f) => /\.test\.ts$|^tests\//.test(f)), []);
  // Declarations import each other as .js (which any tsconfig resolves to .d.ts), never as .ts (TS5097 in the user's project).
  const declarations = files.filter((f) => f.endsWith(".d.ts"));
  const text = declarations.map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
  assert.doesNotMatch(text, /(?:from|import\(|module)\s*["']\.{1,2}\/[^"']*\.ts["']/);
});

// The same check whatever runs the tests: once, under Deno.
test("deno publish --dry-run succeeds", { timeout: 300_000, skip: runtimeName !== "deno" && "runtime-independent: run under deno test" }, () => {
  const result = spawnSync(denoPath(), ["publish", "--dry-run", "--allow-dirty", "--allow-slow-types"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr + result.stdout, /Dry run complete/);
});

const UPPER = `import { definePlugin } from "logsim";
import { z } from "zod";

/** Upper-cases every record's message, and appends a suffix. */
export default definePlugin({
  kind: "transform",
  name: "upper",
  description: "Upper-cases messages",
  schema: z.strictObject({ suffix: z.string().default("") }),
  create: (options) => ({
    transform: (record) => ({ ...record, message: record.message.toUpperCase() + options.suffix }),
  }),
});
`;

const LINES_SINK = `import { definePlugin } from "logsim";
import { z } from "zod";

/** Writes each record's message as a line, through the runtime's files (so it runs on Bun, Deno and Node). */
export default definePlugin({
  kind: "sink",
  name: "lines",
  description: "Writes messages as lines",
  schema: z.strictObject({ path: z.string() }),
  create: (options, ctx) => {
    const file = ctx.runtime.fs.openAppend(options.path);
    const encoder = new TextEncoder();
    let closed = false;
    return {
      write(records) {
        if (closed) throw new Error("lines: closed");
        file.write(encoder.encode(records.map((r) => \`\${r.message}\\n\`).join("")));
      },
      flush: () => file.sync(),
      close() {
        if (closed) return;
        closed = true;
        file.close();
      },
    };
  },
});
`;

// tsc's default settings want relative imports to say .js; Bun and Node (esbuild) find the .ts, Deno needs --sloppy-imports.
const CONFIG = (count: string, out: string) => `import { defineConfig } from "logsim";
import { heartbeat } from "logsim/plugins";
import upper from "./plugins/upper.js";
import lines from "./plugins/lines.js";

export default defineConfig({
  pipelines: { beat: { sources: [heartbeat({ interval: "5ms", ${count} })], transforms: [upper({ suffix: "!" })], sinks: [lines({ path: "${out}" })] } },
});
`;

const TYPE_ERRORS = `import { heartbeat } from "logsim/plugins";
import upper from "./plugins/upper.js";
import lines from "./plugins/lines.js";

// @ts-expect-error the suffix is a string
upper({ suffix: 1 });
// @ts-expect-error the sink needs its path
lines({});
// @ts-expect-error interval is a duration, not a boolean
heartbeat({ interval: true });
`;

const KIT_TEST = `import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { test } from "node:test";
import { checkSinkContract, runTransform } from "logsim/testing";
import upper from "./upper.js";
import lines from "./lines.js";

test("upper upper-cases and appends its suffix", async () => {
  const { records } = await runTransform(upper({ suffix: "!" }), [{ time: 0, level: "INFO", message: "hi" }]);
  assert.equal(records[0]!.message, "HI!");
});

test("lines keeps the sink contract", async () => {
  const path = "kit-lines.txt";
  rmSync(path, { force: true });
  const count = () => (existsSync(path) ? readFileSync(path, "utf8").split("\\n").filter(Boolean).length : 0);
  await checkSinkContract(lines({ path }), { readBack: count });
});
`;

/** The installed CLI under the runtime running this test, started the way a user would. */
function installedCli(): { cmd: string; args: string[] } {
  if (g.Deno) return { cmd: g.Deno.execPath(), args: ["run", "-A", "--quiet", "--sloppy-imports", "npm:logsim"] };
  if (g.Bun) return { cmd: process.execPath, args: ["x", "logsim"] }; // bunx: the bin starts with Node and hands over to Bun
  return { cmd: process.execPath, args: ["node_modules/.bin/logsim"] };
}

test("a fresh npm init -y project installs the tarball, type-checks its own plugins with tsc --init defaults and runs them", { timeout: 300_000 }, async () => {
  const project = join(work.dir, "user-project");
  mkdirSync(join(project, "plugins"), { recursive: true });
  npm(["init", "-y"], project);
  assert.equal(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).type ?? "commonjs", "commonjs", "npm init -y writes a CommonJS-typed project");
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
  writeFileSync(join(project, "plugins/upper.ts"), UPPER);
  writeFileSync(join(project, "plugins/lines.ts"), LINES_SINK);
  writeFileSync(join(project, "logsim.config.ts"), CONFIG("count: 3", "beat.txt"));
  writeFileSync(join(project, "logsim.config.json"), JSON.stringify({ pipelines: { j: { sources: [{ use: "heartbeat", count: 2, interval: "5ms" }], transforms: [{ use: "./plugins/upper.ts" }], sinks: [{ use: "./plugins/lines.ts", path: "json.txt" }] } } }));

  const { cmd, args } = installedCli();
  const cli = (more: string[]) => spawnSync(cmd, [...args, ...more], { cwd: project, encoding: "utf8", timeout: 60_000 });

  // A CommonJS-typed project: the TypeScript config and its plugins load (on Node this failed with "Cannot require() ES Module").
  const validate = cli(["validate"]);
  assert.equal(validate.status, 0, validate.stderr);
  assert.match(validate.stdout, /ok \(1 pipeline, 3 plugins\)/);
  const run = cli(["run"]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`on ${runtimeName} `), "runs on the runtime that started it");
  assert.deepEqual(readFileSync(join(project, "beat.txt"), "utf8").split("\n"), ["SERVICE HEARTBEAT!", "SERVICE HEARTBEAT!", "SERVICE HEARTBEAT!", ""]);

  // logsim.config.json names the same plugins by path; plugins and schema --config list them.
  const runJson = cli(["run", "--config", "logsim.config.json"]);
  assert.equal(runJson.status, 0, runJson.stderr);
  assert.equal(readFileSync(join(project, "json.txt"), "utf8"), "SERVICE HEARTBEAT\nSERVICE HEARTBEAT\n");
  const plugins = cli(["plugins", "--config", "logsim.config.json"]);
  assert.equal(plugins.status, 0, plugins.stderr);
  assert.match(plugins.stdout, /\.\/plugins\/lines\.ts: lines \(sink\): Writes messages as lines\n {2}id: string\n.*\n {2}path: string/);
  const schema = cli(["schema", "--config", "logsim.config.json"]);
  assert.equal(schema.status, 0, schema.stderr);
  assert.match(schema.stdout, /"const": "\.\/plugins\/upper\.ts"/);

  // tsc --init's defaults (verbatimModuleSyntax) want ES modules: the one change a user makes. Zero errors, and the
  // expect-error lines in type-errors.ts prove the types are real (types resolved to `any` would leave them unused: an error).
  npm(["pkg", "set", "type=module"], project);
  exec(process.execPath.endsWith("node") ? process.execPath : "node", [bin("tsc"), "--init"], project);
  writeFileSync(join(project, "type-errors.ts"), TYPE_ERRORS);
  const tsc = spawnSync("node", [bin("tsc"), "--noEmit", "-p", "."], { cwd: project, encoding: "utf8", timeout: 120_000 });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  const esm = cli(["validate"]);
  assert.equal(esm.status, 0, esm.stderr);

  // The user's own plugin tests, with logsim/testing, under the test runner of the runtime running this test.
  writeFileSync(join(project, "plugins/plugins.test.ts"), KIT_TEST);
  const runner = g.Deno
    ? { cmd: g.Deno.execPath(), args: ["test", "-A", "--quiet", "--sloppy-imports", "--no-check", "plugins/plugins.test.ts"] }
    : g.Bun
      ? { cmd: process.execPath, args: ["test", "./plugins/plugins.test.ts"] }
      : { cmd: process.execPath, args: ["--import", "tsx", "--test", "plugins/plugins.test.ts"] };
  // Without NODE_TEST_CONTEXT: a node --test child that inherits it from this runner runs nothing ("called recursively").
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const kit = spawnSync(runner.cmd, runner.args, { cwd: project, encoding: "utf8", timeout: 120_000, env });
  assert.equal(kit.status, 0, kit.stdout + kit.stderr);
  assert.match(kit.stdout + kit.stderr, /2 pass|pass 2|ok \| 2 passed/);
});

test("bunx logsim hands signals to the Bun it runs on and gives back its exit code", { skip: !g.Bun && "the Bun re-run is tested under bun test", timeout: 120_000 }, async () => {
  const project = join(work.dir, "user-project");
  writeFileSync(join(project, "endless.config.ts"), CONFIG("", "endless.txt"));
  const child = spawn(process.execPath, ["x", "logsim", "run", "--config", "endless.config.ts"], { cwd: project, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    await waitFor(() => /running beat/.test(stderr), 30_000, "logsim running under bunx");
    assert.match(stderr, /on bun /);
    child.kill("SIGTERM"); // to the Node process bunx started, which forwards it
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /beat \(stopped\)/);
  } finally {
    // bunx, the Node bin and Bun: the whole group this test started.
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  }
});
