import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { atomicTempName, atomicTempTarget, type Runtime } from "../../core/runtime.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { nodeFileSystem } from "../../runtime/shared/node-fs.ts";
import { jsonl } from "../jsonl/mod.ts";
import { loadState, saveState } from "./checkpoint.ts";
import { tail } from "./mod.ts";

const base = await detectRuntime();

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "logsim-checkpoint-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What kill -9 between writeAtomic's write and its rename leaves: the temp file, under writeAtomic's own name. */
function leftover(dir: string, target: string, ageMs = 0): string {
  const name = atomicTempName(target, Date.now() - ageMs);
  writeFileSync(join(dir, name), '{"version":1,"files":[]}\n');
  const seconds = (Date.now() - ageMs) / 1000;
  utimesSync(join(dir, name), seconds, seconds);
  return name;
}

test("writeAtomic's temp names are recognised, and nothing else is", () => {
  assert.equal(atomicTempTarget(atomicTempName("p.json", 1764420000000)), "p.json");
  for (const name of ["p.json", "notes.tmp", ".p.json.tmp", ".p.json.12a.tmp", "p.json.123.tmp", ".p.json.123.tmp.bak", "..123.tmp"]) assert.equal(atomicTempTarget(name), undefined, name);
});

test("loading a state file removes the temp files a crash left: its own at once, other state files' once stale; nothing else", (t) => {
  const dir = folder(t);
  const path = join(dir, "p.json");
  saveState(nodeFileSystem, path, []);
  const own = [leftover(dir, "p.json"), leftover(dir, "p.json", 10 * 60_000)];
  const otherStale = leftover(dir, "gone.json", 10 * 60_000);
  const otherFresh = leftover(dir, "busy.json"); // maybe another process saving right now
  const foreign = ["notes.tmp", ".p.json.tmp", ".app.log.1764420000000.tmp", "p.json.1764420000000.tmp"];
  for (const name of foreign) writeFileSync(join(dir, name), "keep me");
  utimesSync(join(dir, ".app.log.1764420000000.tmp"), 0, 0);
  mkdirSync(join(dir, atomicTempName("dir.json", 1)));
  assert.deepEqual(loadState(nodeFileSystem, path), { state: { version: 1, files: [] } });
  const left = readdirSync(dir);
  for (const name of [...own, otherStale]) assert.ok(!left.includes(name), `${name} removed`);
  for (const name of [otherFresh, ...foreign, atomicTempName("dir.json", 1), "p.json"]) assert.ok(left.includes(name), `${name} kept`);
  assert.deepEqual(loadState(nodeFileSystem, join(dir, "missing", "x.json")), { state: undefined }, "a state folder that does not exist yet is fine");
});

test("the tail source, started after a kill -9 mid-save, cleans its state folder of the leftovers", async (t) => {
  const dir = folder(t);
  const runtime: Runtime = { ...base, cwd: () => dir, stderr: { isTTY: false, write: async () => {}, flush: async () => {} } };
  mkdirSync(join(dir, "state"));
  const stateName = "c.tail.json";
  const stale = [leftover(join(dir, "state"), stateName), leftover(join(dir, "state"), stateName, 5000), leftover(join(dir, "state"), "pipelines.old.sources_0_.json", 3_600_000)];
  writeFileSync(join(dir, "a.log"), "one\ntwo\n");
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", once: true, stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime });
  (await app.start())._unsafeUnwrap();
  assert.deepEqual(await app.finished, []);
  const left = readdirSync(join(dir, "state"));
  for (const name of stale) assert.ok(!left.includes(name), `${name} removed`);
  assert.deepEqual(left, [stateName]);
});
