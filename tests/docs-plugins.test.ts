/**
 * docs/plugins.md cannot rot: every ```ts block is a file (its first line is
 * `// file: NAME`), written to a folder inside the repo (so "logsim" resolves
 * to the sources, as it resolves to the package in a user's project),
 * type-checked with tsc, its tests run under this runtime, and its
 * logsim.config.ts loaded by `logsim validate`. Every ```json block parses.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { detectRuntime } from "../runtime/detect.ts";
import { ROOT, runCli } from "./_helpers.ts";
import { runTestFiles } from "./_test-runner.ts";

interface Block {
  lang: string;
  code: string;
  line: number;
  file?: string;
}

/** The fenced code blocks of a markdown text, with the file their first line names. */
export function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const code = m[2]!;
    const file = /^\/\/ file: (\S+)\n/.exec(code)?.[1];
    blocks.push({ lang: m[1]!, code, line: markdown.slice(0, m.index).split("\n").length, ...(file ? { file } : {}) });
  }
  return blocks;
}

const DOC = join(ROOT, "docs/plugins.md");

test("the extractor finds blocks, their file names, and unmarked blocks", () => {
  const blocks = codeBlocks("text\n```ts\n// file: a.ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\n```\n```json\n{}\n```\n");
  assert.deepEqual(blocks.map((b) => [b.lang, b.file, b.line]), [["ts", "a.ts", 2], ["ts", undefined, 7], ["json", undefined, 10]]);
});

test("every ts block of docs/plugins.md names its file, and every json block parses", () => {
  const blocks = codeBlocks(readFileSync(DOC, "utf8"));
  assert.equal(blocks.filter((b) => b.lang === "ts").length, 14, "found the examples");
  assert.deepEqual(blocks.filter((b) => b.lang === "ts" && !b.file).map((b) => `docs/plugins.md:${b.line}`), [], "ts blocks without a // file: line");
  const files = blocks.filter((b) => b.file).map((b) => b.file);
  assert.deepEqual(files, [...new Set(files)], "file names are unique");
  for (const b of blocks.filter((b) => b.lang === "json")) assert.doesNotThrow(() => JSON.parse(b.code), `docs/plugins.md:${b.line}`);
});

/** The doc's ts blocks, written to a folder of their own in the repo (so their imports resolve). */
function writeExamples(): { blocks: Array<Block & { file: string }>; dir: string } {
  const blocks = codeBlocks(readFileSync(DOC, "utf8")).filter((b): b is Block & { file: string } => b.lang === "ts" && b.file !== undefined);
  const dir = join(ROOT, `.test-tmp-docs-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  for (const b of blocks) writeFileSync(join(dir, b.file), b.code);
  return { blocks, dir };
}

// Type checking is the same whatever runtime runs the tests: once, under Bun, rather than three
// times (tsc took 15-25 s of each runtime's run).
const { name: runtimeName } = await detectRuntime();
test("the examples type-check with the repo's settings", { timeout: 600_000, skip: runtimeName !== "bun" && "type checking does not depend on the runtime: run under Bun" }, () => {
  const { blocks, dir } = writeExamples();
  try {
    // The repo's settings (strict, noUncheckedIndexedAccess...), on exactly these files.
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", files: blocks.map((b) => b.file) }));
    const tsc = spawnSync("node", [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    assert.equal(tsc.status, 0, `tsc:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the examples' tests pass under this runtime, and the config they make loads", { timeout: 600_000 }, async () => {
  const { blocks, dir } = writeExamples();
  try {

    const tests = blocks.filter((b) => b.file.endsWith(".test.ts"));
    const run = runTestFiles(tests.map((b) => join(dir, b.file)));
    const expected = tests.reduce((n, b) => n + (b.code.match(/^test\(/gm)?.length ?? 0), 0);
    assert.equal(expected, 11, "the doc's test blocks hold 11 tests");
    assert.equal(run.status, 0, run.output);
    assert.equal(run.passed, expected, `every test of the docs ran and passed:\n${run.output}`);

    const validate = await runCli(["validate", "-c", join(dir, "logsim.config.ts")], { cwd: dir });
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /ok \(1 pipeline, 8 plugins\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
