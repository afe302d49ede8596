/**
 * `logsim new plugin`: each kind's scaffold passes its own test at once. The
 * scaffold imports "logsim" as a user's project does; inside this repo that
 * name resolves to the sources (the package's self-reference, deno.json's
 * import map), so the folder is made inside the repo tree. Its test runs
 * under the runtime running this one: the suite's three runs cover all three.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { detectRuntime } from "../detect.ts";
import { ROOT } from "../../tests/_helpers.ts";
import { runTestFiles } from "../../tests/_test-runner.ts";
import type { CommandContext } from "./command.ts";
import { factoryName, newCommand } from "./new.ts";

const KINDS = ["source", "parser", "transform", "sink", "service"];

async function scaffold(positionals: string[], values: Record<string, string>) {
  const runtime = await detectRuntime();
  const out: string[] = [];
  const quiet = { ...runtime, stdout: { ...runtime.stdout, write: async (s: string | Uint8Array) => void out.push(String(s)) } };
  const result = await newCommand.run({ values, positionals }, { runtime: quiet, registry: new Map(), version: "test" } as CommandContext);
  return { result, out: out.join("") };
}

test("each kind's scaffold passes its test as written, under this runtime", { timeout: 300_000 }, async () => {
  const base = join(ROOT, `.test-tmp-scaffold-${process.pid}`);
  try {
    const files: string[] = [];
    for (const kind of KINDS) {
      const dir = join(base, `audit-${kind}`);
      const { result, out } = await scaffold(["plugin", `audit-${kind}`], { kind, dir });
      assert.equal(result._unsafeUnwrap(), 0);
      assert.match(out, new RegExp(`Created ${kind} plugin "audit-${kind}"`));
      assert.deepEqual(readdirSync(dir).sort(), ["README.md", `audit-${kind}.test.ts`, "mod.ts"]);
      assert.match(readFileSync(join(dir, "mod.ts"), "utf8"), /from "logsim"/, "imports logsim as a user's project does");
      files.push(join(dir, `audit-${kind}.test.ts`));
    }
    const run = runTestFiles(files);
    assert.equal(run.status, 0, run.output);
    assert.equal(run.passed, 11, `every scaffolded test ran and passed:\n${run.output}`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("never overwrites: a folder that is not empty is refused and left as it was", async () => {
  const dir = join(ROOT, `.test-tmp-scaffold-${process.pid}-x`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "mod.ts"), "// mine\n");
    const { result } = await scaffold(["plugin", "mine"], { kind: "sink", dir });
    assert.ok(result.isErr() && result.error.kind === "input.invalid" && /Not overwriting .*not empty/.test(result.error.message));
    assert.deepEqual(readdirSync(dir), ["mod.ts"]);
    assert.equal(readFileSync(join(dir, "mod.ts"), "utf8"), "// mine\n");
    rmSync(join(dir, "mod.ts"));
    assert.ok((await scaffold(["plugin", "mine"], { kind: "sink", dir })).result.isOk(), "an empty folder is fine");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("NAME must be kebab-case; --kind is required and known; only plugins are made", async () => {
  const message = async (positionals: string[], values: Record<string, string>) => {
    const { result } = await scaffold(positionals, values);
    assert.ok(result.isErr() && result.error.kind === "cli.usage", positionals.join(" "));
    return result.error.message;
  };
  for (const bad of ["MySink", "my_sink", "my--sink", "1sink", "sink-", "my sink"]) assert.match(await message(["plugin", bad], { kind: "sink" }), /kebab-case/, bad);
  assert.match(await message(["plugin", "ok-name"], {}), /--kind is missing/);
  assert.match(await message(["plugin", "ok-name"], { kind: "filter" }), /expected one of source, parser, transform, sink, service, got "filter"/);
  assert.match(await message(["config", "x"], { kind: "sink" }), /only "plugin"/);
  assert.match(await message(["plugin"], { kind: "sink" }), /NAME is missing/);
});

test("the factory is the camelCase name, never a reserved word", () => {
  assert.equal(factoryName("audit-sink"), "auditSink");
  assert.equal(factoryName("s3-2nd-copy"), "s32ndCopy");
  assert.equal(factoryName("new"), "newPlugin");
});
