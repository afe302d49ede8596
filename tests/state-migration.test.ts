/**
 * Upgrading from positional ids: a tail source whose positions were saved as
 * `pipelines.<name>.sources_<i>_.json` resumes from them, under its stable id.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../core/app.ts";
import { validateConfig } from "../core/config/validate.ts";
import type { Runtime } from "../core/runtime.ts";
import { heartbeat, jsonl, tail } from "../plugins/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";

const base = await detectRuntime();

async function collectOnce(dir: string, runtime: Runtime, sources: unknown[]): Promise<string[]> {
  const out = join(dir, "out.jsonl");
  rmSync(out, { force: true });
  const config = validateConfig({ pipelines: { c: { sources, sinks: [jsonl({ path: out })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime });
  (await app.start())._unsafeUnwrap();
  assert.deepEqual(await app.finished, []);
  return existsSync(out) ? readFileSync(out, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l).message as string) : [];
}

test("a state file saved under the old positional name is migrated on start: the position is kept and the old file is gone", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logsim-state-migration-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const said: string[] = [];
  const runtime: Runtime = { ...base, cwd: () => dir, stderr: { isTTY: false, write: async (s) => void said.push(String(s)), flush: async () => {} } };
  const source = () => tail({ include: "*.log", once: true, stateDir: "state" });
  writeFileSync(join(dir, "app.log"), "one\ntwo\n");
  assert.deepEqual(await collectOnce(dir, runtime, [source()]), ["one", "two"]);
  // What the version before ids would have left: the same positions, named by position.
  renameSync(join(dir, "state", "c.tail.json"), join(dir, "state", "pipelines.c.sources_0_.json"));
  appendFileSync(join(dir, "app.log"), "three\n");
  assert.deepEqual(await collectOnce(dir, runtime, [source()]), ["three"], "resumed where the old file said, nothing read twice");
  assert.ok(!existsSync(join(dir, "state", "pipelines.c.sources_0_.json")), "the old file is gone");
  assert.ok(existsSync(join(dir, "state", "c.tail.json")));
  assert.match(said.join(""), /moved the saved state/);
  // The point of ids: a source inserted before it no longer changes where its positions are kept.
  appendFileSync(join(dir, "app.log"), "four\n");
  const inserted = await collectOnce(dir, runtime, [heartbeat({ interval: "1ms", count: 1, message: "beat" }), source()]);
  assert.deepEqual(inserted.sort(), ["beat", "four"]);
});
