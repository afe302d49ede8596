/** Runtime differences live in runtime/ only: core/ and plugins/ never touch Bun., Deno. or process. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { ROOT } from "./_helpers.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Tests and their helpers (`_test*.ts`, which start servers and measure memory) run only under a test runner.
    return /\.(ts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) && !/^_test/.test(name) ? [path] : [];
  });
}

/** Strips comments and string contents so a mention in a doc comment or message does not count. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:\\])\/\/.*$/gm, "$1")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
}

test("core/ and plugins/ use no runtime globals (Bun., Deno., process.)", () => {
  const offenders: string[] = [];
  const files = [...sourceFiles(join(ROOT, "core")), ...sourceFiles(join(ROOT, "plugins"))];
  assert.ok(files.length > 10, "found the source files");
  for (const file of files) {
    code(readFileSync(file, "utf8"))
      .split("\n")
      .forEach((line, i) => {
        if (/\b(Bun|Deno|process)\s*\.|\bglobalThis\s*\[/.test(line)) {
          offenders.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        }
      });
    if (/from\s+["'](bun|node:process)["']/.test(readFileSync(file, "utf8"))) offenders.push(`${relative(ROOT, file)}: imports bun or node:process`);
  }
  assert.deepEqual(offenders, []);
});

test("the check itself catches a use of a runtime global", () => {
  assert.match(code("const x = process.env.HOME; // ok"), /process\.env/);
  assert.doesNotMatch(code('const s = "process.env"; /* Bun.file */'), /process\.|Bun\./);
});
