/**
 * What every logsim process loads before its first line, and `logsim --version` at all: the static import graph of the CLI
 * and the public entries must not reach the NATS client or the web stack. They load inside
 * the plugins that use them (a dynamic `import()` in their `create`, and in the Node runtime's
 * `serve`); statically imported, they cost about as much CPU as the rest of a `logsim --version`.
 *
 * The check reads the graph the way the runtimes load it: static imports and re-exports are
 * followed, `import()` is not, and imports that TypeScript elides (`import type`, or only
 * `type` specifiers) load nothing. It is the same on Bun, Deno and Node, and fails at once
 * when a static import of a heavy package comes back, with the chain that brings it.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { ROOT } from "./_helpers.ts";

/** Packages only a process that uses NATS or the web service should load. */
const HEAVY = /^(@nats-io\/|hono(\/|$)|@hono\/)/;

const ENTRIES = ["runtime/bun/main.ts", "runtime/node/main.ts", "runtime/deno/main.ts", "core/mod.ts", "core/host.ts", "plugins/mod.ts", "testing/mod.ts"];

/** The specifiers a file loads when it is evaluated: static imports and re-exports that survive type erasure. */
function loadedSpecifiers(text: string, fileName = "x.ts"): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const erased =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!erased) out.push(statement.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.exportClause;
      const erased = statement.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      if (!erased) out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

/** Every package and file the entries load statically; a package with the chain of files that first reaches it. */
function staticGraph(entries: readonly string[]): { packages: Map<string, string[]>; files: string[] } {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const queue: { file: string; chain: string[] }[] = entries.map((e) => ({ file: join(ROOT, e), chain: [e] }));
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next.file)) continue;
    seen.add(next.file);
    for (const specifier of loadedSpecifiers(readFileSync(next.file, "utf8"), next.file)) {
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(next.file), specifier);
        if (/\.(ts|js|mjs)$/.test(target) && existsSync(target)) queue.push({ file: target, chain: [...next.chain, relative(ROOT, target)] });
      } else if (!specifier.startsWith("node:") && !packages.has(specifier)) {
        packages.set(specifier, [...next.chain, specifier]);
      }
    }
  }
  return { packages, files: [...seen].map((file) => relative(ROOT, file)) };
}

test("the CLI and the public entries do not load the NATS client or the web stack until a plugin uses them", () => {
  const { packages, files } = staticGraph(ENTRIES);
  assert.ok(files.length > 50 && packages.has("zod"), `followed the graph (${files.length} files)`);
  const heavy = [...packages].filter(([name]) => HEAVY.test(name)).map(([, chain]) => chain.join(" -> "));
  assert.deepEqual(heavy, []);
});

test("logsim --version loads no command, no plugin and no zod: the CLI imports them once the version is answered", () => {
  const { packages, files } = staticGraph(["runtime/bun/main.ts", "runtime/node/main.ts", "runtime/deno/main.ts"]);
  assert.ok(files.includes("runtime/cli.ts"), "followed the graph into the CLI");
  assert.deepEqual(files.filter((f) => f.startsWith("plugins/") || f.startsWith("runtime/commands/")), []);
  assert.equal(packages.get("zod")?.join(" -> "), undefined);
});

test("logsim generate loads its own command and the plugins it configures (nats only for --nats-url): no other command, no other plugin", () => {
  // _workers-flag.ts: the scan of `--workers` the CLI runs before it loads a command (node:util only), to start threads early.
  const list = ["runtime/commands/mod.ts", "runtime/commands/command.ts", "runtime/commands/_workers-flag.ts"];
  const commands = staticGraph(["runtime/commands/mod.ts"]).files.filter((f) => !list.includes(f));
  assert.deepEqual(commands.filter((f) => f.startsWith("runtime/commands/") || f.startsWith("plugins/")), [], "the command list loads each command when it runs");
  const plugins = new Set(staticGraph(["runtime/commands/generate.ts"]).files.filter((f) => f.startsWith("plugins/")).map((f) => f.split("/")[1]));
  assert.deepEqual([...plugins].sort(), ["console", "generator", "rotating-file"]);
});

test("the import reader follows what loads and skips what TypeScript erases or loads later", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type { B } from "./b.ts";',
    'import { type C } from "./c.ts";',
    'import { type D, e } from "./d.ts";',
    'import "./side.ts";',
    'export { f } from "./f.ts";',
    'export type { G } from "./g.ts";',
    'export * from "./h.ts";',
    'const later = () => import("@nats-io/jetstream");',
  ].join("\n");
  assert.deepEqual(loadedSpecifiers(text), ["./a.ts", "./d.ts", "./side.ts", "./f.ts", "./h.ts"]);
});
