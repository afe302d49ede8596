import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import type { TailedFile } from "./events.ts";
import type { Runtime } from "../../core/runtime.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { jsonl } from "../jsonl/mod.ts";
import { tail } from "./mod.ts";

const base = await detectRuntime();

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "logsim-tail-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const warnings: string[] = [];
  const runtime: Runtime = { ...base, cwd: () => dir, stderr: { isTTY: false, write: async (s) => void warnings.push(String(s)), flush: async () => {} } };
  return { dir, runtime, warnings };
}

const STATE = "state/c.tail.json";

test("a corrupt or empty state file is reported and does not stop the collector", async (t) => {
  for (const content of ["{not json", "", '{"version":1,"files":[{"path":3}]}']) {
    const { dir, runtime, warnings } = setup(t);
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, STATE), content);
    writeFileSync(join(dir, "a.log"), "one\ntwo\n");
    const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", once: true, stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } } }, { registry: new Map() })._unsafeUnwrap();
    const app = createApp(config, { runtime });
    (await app.start())._unsafeUnwrap();
    assert.deepEqual(await app.finished, []);
    assert.equal(readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n").length, 2);
    assert.match(warnings.join(""), /state file .* (is empty|is not valid JSON|has an unexpected shape)/);
    const saved = JSON.parse(readFileSync(join(dir, STATE), "utf8"));
    assert.equal(saved.files[0].offset, 8, "a good state replaces the bad one");
  }
});

test("tail:files reports each file about once a second; positions are saved on ack, up to the last written line", async (t) => {
  const { dir, runtime } = setup(t);
  writeFileSync(join(dir, "a.log"), "");
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime });
  const reports: TailedFile[][] = [];
  app.bus.on("tail:files", (e) => reports.push(e.files));
  (await app.start())._unsafeUnwrap();
  appendFileSync(join(dir, "a.log"), "one\ntwo\nthr");
  await new Promise((r) => setTimeout(r, 1300));
  const saved = JSON.parse(readFileSync(join(dir, STATE), "utf8"));
  assert.equal(saved.files[0].offset, 8, "saved after the sink wrote, before the unfinished line");
  (await app.stop())._unsafeUnwrap();
  assert.ok(reports.length >= 1);
  const last = reports[reports.length - 1]![0]!;
  assert.deepEqual({ ...last, id: typeof last.id }, { id: "string", path: join(dir, "a.log"), position: 11, size: 11, lag: 0, state: "active" });
  assert.ok(!JSON.stringify(reports).includes("out.jsonl"), "never its own output");
});
