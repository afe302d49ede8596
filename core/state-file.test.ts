import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime } from "../runtime/detect.ts";
import type { Runtime } from "./runtime.ts";
import { stateFile } from "./state-file.ts";

const base = await detectRuntime();

function setup(t: { after(fn: () => void): void }, fs: Partial<Runtime["fs"]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-state-file-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const said: string[] = [];
  const ctx = {
    id: "collect.tail",
    location: "pipelines.collect.sources[0]",
    runtime: { ...base, fs: { ...base.fs, ...fs } } as Runtime,
    log: { info: (m: string) => void said.push(`info ${m}`), warn: (m: string) => void said.push(`warn ${m}`) },
  };
  return { dir, ctx, said };
}

test("a state file named by position (before ids) is renamed to the id's name once, and its content kept", (t) => {
  const { dir, ctx, said } = setup(t);
  writeFileSync(join(dir, "pipelines.collect.sources_0_.json"), '{"kept":true}');
  assert.equal(stateFile(ctx, dir), join(dir, "collect.tail.json"));
  assert.deepEqual(readdirSync(dir), ["collect.tail.json"]);
  assert.equal(readFileSync(join(dir, "collect.tail.json"), "utf8"), '{"kept":true}');
  assert.match(said[0]!, /^info moved the saved state .*pipelines\.collect\.sources_0_\.json to .*collect\.tail\.json/);
  assert.equal(stateFile(ctx, dir), join(dir, "collect.tail.json"), "the second start finds it under its new name");
  assert.equal(said.length, 1, "said once");
});

test("no old file, or no folder yet: the id's name, nothing moved", (t) => {
  const { dir, ctx, said } = setup(t);
  assert.equal(stateFile(ctx, join(dir, "missing")), join(dir, "missing", "collect.tail.json"));
  assert.equal(stateFile({ ...ctx, location: undefined }, dir), join(dir, "collect.tail.json"), "a hand-built context has no location");
  assert.deepEqual(said, []);
});

test("when both names exist, the id's file wins and the old one is left alone, with a warning", (t) => {
  const { dir, ctx, said } = setup(t);
  writeFileSync(join(dir, "pipelines.collect.sources_0_.json"), "old");
  writeFileSync(join(dir, "collect.tail.json"), "new");
  assert.equal(stateFile(ctx, dir), join(dir, "collect.tail.json"));
  assert.deepEqual(readdirSync(dir).sort(), ["collect.tail.json", "pipelines.collect.sources_0_.json"]);
  assert.match(said.join("\n"), /^warn both .* exist; using .*collect\.tail\.json/);
});

test("a rename that fails keeps using the old file this run rather than lose the positions", (t) => {
  const { dir, ctx, said } = setup(t, { rename: () => { throw Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" }); } });
  mkdirSync(join(dir, "s"));
  writeFileSync(join(dir, "s", "pipelines.collect.sources_0_.json"), "old");
  assert.equal(stateFile(ctx, join(dir, "s")), join(dir, "s", "pipelines.collect.sources_0_.json"));
  assert.match(said.join("\n"), /^warn cannot move the saved state .*EXDEV.*; using .* this run/);
});
