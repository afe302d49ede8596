import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { builtinPlugins } from "../../plugins/mod.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { ROOT, tempDir } from "../../tests/_helpers.ts";
import { formatError } from "../errors.ts";
import { loadConfig, loadConfigPlugins } from "./load.ts";
import { resolveExports, splitPackageSpecifier } from "./package-resolve.ts";
import { moduleUses, splitUse } from "./plugin-loader.ts";

const runtime = await detectRuntime();
const registry = new Map(builtinPlugins.map((p) => [p.name, p]));

/** A transform plugin module; inside the checkout so "logsim" and "zod" resolve as in a user's project. */
const pluginSource = (name: string, exportAs = "export default") => `import { definePlugin } from "logsim";
import { z } from "zod";
${exportAs} definePlugin({
  kind: "transform", name: "${name}", description: "Upper-cases a field",
  schema: z.strictObject({ field: z.string().default("message") }),
  create: (o) => ({ transform: (r) => ({ ...r, [o.field]: String(r[o.field]).toUpperCase() }) }),
});
`;

function project(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const made = tempDir(".test-tmp-plugins-", ROOT);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(made.dir, name)), { recursive: true });
    writeFileSync(join(made.dir, name), text);
  }
  return made;
}

const config = (...transforms: unknown[]) =>
  JSON.stringify({ pipelines: { main: { sources: [{ use: "heartbeat", count: 1 }], transforms, sinks: [{ use: "console" }] } } });

test("a JSON config loads plugins from a file (default, #name, only plugin export) and from a package, each under its use text", async () => {
  const { dir, cleanup } = project({
    "plugins/upper.ts": pluginSource("upper"),
    "plugins/named.mjs": `${pluginSource("shout", "export const shout =")}export const notAPlugin = 1;\nexport const other = 2;\n`,
    "node_modules/logsim-plugin-loud/package.json": JSON.stringify({ name: "logsim-plugin-loud", type: "module", exports: { ".": { types: "./x.d.ts", import: "./mod.js", default: "./none.js" } } }),
    // Packages ship JavaScript (Deno strips no types under node_modules). A bare definition (no
    // definePlugin) is a plugin too; "logsim" itself is not installed in this folder.
    "node_modules/logsim-plugin-loud/mod.js": pluginSource("loud").replace('import { definePlugin } from "logsim";\n', "").replace("definePlugin(", "("),
    "logsim.config.json": config({ use: "./plugins/upper.ts", field: "service" }, { use: "./plugins/named.mjs#shout" }, { use: "./plugins/named.mjs" }, { use: "logsim-plugin-loud" }),
  });
  try {
    const loaded = await loadConfig(runtime, registry, join(dir, "logsim.config.json"));
    assert.ok(loaded.isOk(), loaded.isErr() ? formatError(loaded.error).join("\n") : "");
    const transforms = loaded.value.config.pipelines[0]!.transforms;
    assert.deepEqual(transforms.map((t) => t.definition.name), ["upper", "shout", "shout", "loud"]);
    assert.deepEqual(transforms[0]!.options, { field: "service" });
    const withPlugins = await loadConfigPlugins(runtime, registry, join(dir, "logsim.config.json"));
    assert.ok(withPlugins.isOk());
    assert.deepEqual([...withPlugins.value.registry.keys()].filter((k) => !registry.has(k)), ["./plugins/upper.ts", "./plugins/named.mjs#shout", "./plugins/named.mjs", "logsim-plugin-loud"]);
  } finally {
    cleanup();
  }
});

test("every plugin that cannot be loaded is one line with its place in the config and what to do", async () => {
  const { dir, cleanup } = project({
    "plugins/none.mjs": "export const x = 1;\n",
    "plugins/two.mjs": `${pluginSource("a", "export const a =")}${pluginSource("b", "export const b =").replace(/^import.*\n/gm, "")}`,
    "plugins/broken.mjs": "throw new Error('boom at load');\n",
    "logsim.config.json": config(
      { use: "./plugins/missing.ts" },
      { use: "./plugins/none.mjs" },
      { use: "./plugins/two.mjs" },
      { use: "./plugins/none.mjs#nope" },
      { use: "./plugins/broken.mjs" },
      { use: "logsim-plugin-not-installed" },
      { use: "tga" },
    ),
  });
  try {
    const loaded = await loadConfig(runtime, registry, join(dir, "logsim.config.json"));
    assert.ok(loaded.isErr());
    const text = formatError(loaded.error).join("\n");
    assert.match(text, /transforms\[0\].*cannot find the plugin file .*missing\.ts \(a path in "use" is relative to the config's folder\)/);
    assert.match(text, /transforms\[1\].*"\.\/plugins\/none\.mjs" exports no plugin \(export default definePlugin/);
    assert.match(text, /transforms\[2\].*exports several plugins \(a, b\): name one, as "\.\/plugins\/two\.mjs#a"/);
    assert.match(text, /transforms\[3\].*has no export named "nope"/);
    assert.match(text, /transforms\[4\].*cannot load "\.\/plugins\/broken\.mjs": .*boom at load/);
    assert.match(text, /transforms\[5\].*"logsim-plugin-not-installed" is not a built-in plugin nor a package installed for .*npm install logsim-plugin-not-installed/);
    // A near miss of a built-in is left to validation, which suggests the name (once the rest loads).
    assert.doesNotMatch(text, /"tga" is not a built-in/);
  } finally {
    cleanup();
  }
});

test("a typo of a built-in name still gets 'did you mean'", async () => {
  const { dir, cleanup } = project({ "logsim.config.json": config({ use: "tga" }) });
  try {
    const loaded = await loadConfig(runtime, registry, join(dir, "logsim.config.json"));
    assert.ok(loaded.isErr());
    assert.match(formatError(loaded.error).join("\n"), /unknown plugin "tga"; did you mean "tag"\?/);
  } finally {
    cleanup();
  }
});

test("jsr: and npm: specifiers are refused with what to do outside Deno", { skip: runtime.name === "deno" && "Deno loads them (needs the network)" }, async () => {
  const { dir, cleanup } = project({ "logsim.config.json": config({ use: "jsr:@acme/logsim-redact" }) });
  try {
    const loaded = await loadConfig(runtime, registry, join(dir, "logsim.config.json"));
    assert.ok(loaded.isErr());
    assert.match(formatError(loaded.error).join("\n"), /"jsr:@acme\/logsim-redact" loads on Deno only; .* npx jsr add @acme\/logsim-redact/);
  } finally {
    cleanup();
  }
});

test("moduleUses finds unknown uses in every role and in services, not built-ins or plugin specs", () => {
  const found = moduleUses(
    { pipelines: { a: { sources: [{ use: "heartbeat" }, { use: "./s.ts" }], sinks: [{ use: "x", definition: {} }, { use: "pkg" }] } }, services: [{ use: "@s/svc#x" }] },
    registry,
  );
  assert.deepEqual(found, [
    { use: "./s.ts", at: "pipelines.a.sources[1]" },
    { use: "pkg", at: "pipelines.a.sinks[1]" },
    { use: "@s/svc#x", at: "services[0]" },
  ]);
  assert.deepEqual(splitUse("./x.ts#redact"), ["./x.ts", "redact"]);
  assert.deepEqual(splitUse("@s/p"), ["@s/p", undefined]);
});

test("package exports: sugar, subpaths, patterns and conditions in the package's order", () => {
  const conditions = ["node", "node", "import", "default"];
  assert.deepEqual(splitPackageSpecifier("@s/p/a/b"), ["@s/p", "./a/b"]);
  assert.deepEqual(splitPackageSpecifier("p"), ["p", "."]);
  assert.equal(resolveExports("./m.js", ".", conditions), "./m.js");
  assert.equal(resolveExports({ import: "./m.js", require: "./c.cjs" }, ".", conditions), "./m.js");
  assert.equal(resolveExports({ ".": { types: "./t.d.ts", require: "./c.cjs", default: "./d.js" } }, ".", conditions), "./d.js");
  assert.equal(resolveExports({ "./sinks/*": { import: "./dist/*.js" } }, "./sinks/http", conditions), "./dist/http.js");
  assert.equal(resolveExports({ ".": { require: "./c.cjs" } }, ".", conditions), undefined);
  assert.equal(resolveExports({ ".": "./m.js" }, "./other", conditions), undefined);
});
