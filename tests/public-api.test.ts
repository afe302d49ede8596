/**
 * The two doors: "logsim" (core/mod.ts) for config and plugin authors, "logsim/host"
 * (core/host.ts) for embedding. Built-in plugins go through the author door like any
 * outside plugin, so whatever a built-in can do, an outside author can do too.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import * as author from "../core/mod.ts";
import * as host from "../core/host.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { ROOT } from "./_helpers.ts";

const PLUGINS = join(ROOT, "plugins");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; exports: Record<string, Record<string, string> | string> };

/** Test files and test helpers (`_test-helpers.ts`, `_testing.ts`) may import anything. */
const isTestFile = (name: string) => /\.test\.ts$/.test(name) || /^_test/.test(name);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !isTestFile(name) ? [path] : [];
  });
}

/** Packages a built-in may import: the runtime dependencies but neverthrow, whose ok/err/Result come from the author entry. */
const PACKAGES = Object.keys(pkg.dependencies).filter((name) => name !== "neverthrow");

const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

/**
 * Why `specifier`, imported by `file` (absolute, under plugins/), is not allowed; undefined when it is.
 * Allowed: core/mod.ts (the author entry), files of the importer's own plugin folder, plugins/mod.ts
 * (other built-ins, as an outside author gets them from "logsim/plugins"), node: builtins and packages.
 */
function forbiddenImport(file: string, specifier: string): string | undefined {
  if (specifier.startsWith("node:")) return undefined;
  if (!specifier.startsWith(".")) {
    if (PACKAGES.includes(packageOf(specifier))) return undefined;
    if (packageOf(specifier) === "logsim") return 'a bare "logsim" import: use the relative path of core/mod.ts';
    return `package "${packageOf(specifier)}" is not a runtime dependency a built-in may use`;
  }
  const target = resolve(dirname(file), specifier);
  const where = relative(ROOT, target).split(sep).join("/");
  if (where === "core/mod.ts" || where === "plugins/mod.ts") return undefined;
  const own = relative(PLUGINS, file).split(sep);
  const inPlugin = own.length > 1 && where.startsWith(`plugins/${own[0]}/`);
  if (inPlugin && isTestFile(where.split("/").at(-1)!)) return `${where} is a test helper`;
  if (inPlugin) return undefined;
  if (own.length === 1 && /^plugins\/[^/]+\/mod\.ts$/.test(where)) return undefined; // plugins/mod.ts gathers each plugin's entry.
  if (where.startsWith("core/")) return `${where} is private to core: import it from core/mod.ts (the author entry), or make it public there`;
  return `${where} is another plugin's file: use plugins/mod.ts (what "logsim/plugins" exports)`;
}

/** Every module specifier a file names: imports, re-exports, dynamic imports and module augmentations. */
const specifiersOf = (path: string): string[] => ts.preProcessFile(readFileSync(path, "utf8"), true, true).importedFiles.map((f) => f.fileName);

test("built-in plugins import only the author entry, their own folder, plugins/mod.ts, packages and node builtins", () => {
  const files = sourceFiles(PLUGINS);
  assert.ok(files.length > 50, `found the plugin sources (${files.length})`);
  const offenders = files.flatMap((file) =>
    specifiersOf(file).flatMap((specifier) => {
      const why = forbiddenImport(file, specifier);
      return why ? [`${relative(ROOT, file)}: "${specifier}": ${why}`] : [];
    }),
  );
  assert.deepEqual(offenders, [], `\n${offenders.join("\n")}`);
});

test("the import check refuses what an outside author could not import", () => {
  const tail = join(PLUGINS, "tail/tail.ts");
  assert.equal(forbiddenImport(tail, "../../core/mod.ts"), undefined);
  assert.equal(forbiddenImport(tail, "./tailer.ts"), undefined);
  assert.equal(forbiddenImport(tail, "../mod.ts"), undefined);
  assert.equal(forbiddenImport(tail, "zod"), undefined);
  assert.equal(forbiddenImport(tail, "hono/cookie"), undefined);
  assert.equal(forbiddenImport(tail, "node:path"), undefined);
  assert.match(forbiddenImport(tail, "../../core/file-writer.ts")!, /private to core/);
  assert.match(forbiddenImport(tail, "../../core/host.ts")!, /private to core/);
  assert.match(forbiddenImport(tail, "../parsers/_common.ts")!, /another plugin's file/);
  assert.match(forbiddenImport(tail, "../web/mod.ts")!, /another plugin's file/);
  assert.match(forbiddenImport(tail, "./_test-helpers.ts")!, /test helper/);
  assert.match(forbiddenImport(tail, "neverthrow")!, /not a runtime dependency/);
  assert.match(forbiddenImport(tail, "logsim")!, /bare "logsim"/);
  assert.equal(forbiddenImport(join(PLUGINS, "mod.ts"), "./tail/mod.ts"), undefined);
  assert.match(forbiddenImport(join(PLUGINS, "mod.ts"), "./tail/tailer.ts")!, /another plugin's file/);
  assert.deepEqual(
    ts.preProcessFile('/** import { x } from "no"; */\nimport type { A } from "./a.ts";\nexport * from "./b.ts";\nawait import("./c.ts");\ndeclare module "../../core/events.ts" {}\n', true, true).importedFiles.map((f) => f.fileName),
    ["./a.ts", "./b.ts", "./c.ts", "../../core/events.ts"],
    "type imports, re-exports, dynamic imports and augmentations are seen; comments are not",
  );
});

const HOST_ONLY = ["createApp", "createBus", "Channel", "loadConfig", "findConfigFile", "validateConfig", "configJsonSchema", "plainConfig", "systemClock", "createCounters", "okAsync", "errAsync", "ResultAsync", "detectRuntime", "isPluginSpec"];

test('"logsim" exports no host internals, "logsim/host" does, and no global registry is left', () => {
  for (const name of HOST_ONLY) {
    assert.ok(!(name in author), `"logsim" must not export ${name}`);
    assert.ok(name in host, `"logsim/host" exports ${name}`);
  }
  for (const name of ["registerLineFormat", "lineFormatNames"]) assert.ok(!(name in author) && !(name in host), `${name} is gone`);
  for (const name of ["defineConfig", "definePlugin", "ok", "err", "FileWriter", "createLineFormat", "lineFormat", "compileSafeRegex", "duration", "byteSize", "LineSplitter"]) {
    assert.ok(name in author, `"logsim" exports ${name}`);
  }
});

test("package.json and deno.json expose logsim/host and logsim/testing like the other entries (the build takes its entries from package.json)", () => {
  const plugins = pkg.exports["./plugins"] as Record<string, string>;
  const deno = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")) as { imports: Record<string, string>; exports: Record<string, string> };
  for (const [name, source, base] of [["./host", "./core/host.ts", "core/host"], ["./testing", "./testing/mod.ts", "testing/mod"]] as const) {
    const entry = pkg.exports[name] as Record<string, string>;
    assert.deepEqual(Object.keys(entry), Object.keys(plugins), `${name}: same conditions, same order`);
    assert.deepEqual(entry, { source, types: `./dist/types/${base}.d.ts`, bun: source, deno: `./dist/${base}.js`, node: `./dist/${base}.js`, default: `./dist/${base}.js` });
    assert.equal(deno.exports[name], source);
    assert.equal(deno.imports[`logsim${name.slice(1)}`], source);
  }
});

test("everything the author entry exports has JSDoc with an @example", { timeout: 120_000 }, () => {
  const program = ts.createProgram([join(ROOT, "core/mod.ts")], {
    allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [], skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, "core/mod.ts"))!)!;
  const exports = checker.getExportsOfModule(entry);
  assert.ok(exports.length > 50, `found the exports (${exports.length})`);
  const undocumented = exports.flatMap((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== "";
    const example = symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
    return documented && example ? [] : [`${exported.name}${documented ? "" : " (no doc)"}${example ? "" : " (no @example)"}`];
  });
  assert.deepEqual(undocumented, []);
});

test("core declares only core events: plugins declare their own", () => {
  const events = readFileSync(join(ROOT, "core/events.ts"), "utf8");
  const declared = [...events.matchAll(/^\s+"([a-z-]+):[a-z-]+"\s*:/gm)].map((m) => m[1]!);
  assert.ok(declared.includes("pipeline"), "found core/events.ts's event names");
  const pluginNames = new Set(builtinPlugins.map((d) => d.name));
  assert.deepEqual(declared.filter((domain) => pluginNames.has(domain)), [], "events named after a plugin belong in that plugin's folder");
  for (const [plugin, events] of [["generator", ["generator:stats", "generator:finished"]], ["tail", ["tail:files", "tail:stats"]]] as const) {
    const file = readFileSync(join(PLUGINS, plugin, "events.ts"), "utf8");
    for (const name of events) assert.ok(file.includes(`"${name}"`), `plugins/${plugin}/events.ts declares ${name}`);
  }
});

test("no module-level let in core/ or plugins/: state lives in instances", () => {
  const files = [...sourceFiles(join(ROOT, "core")), ...sourceFiles(PLUGINS)];
  const offenders = files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (/^(export )?let /.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(offenders, []);
});
