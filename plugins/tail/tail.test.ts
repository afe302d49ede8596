import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import type { TailedFile } from "./events.ts";
import type { Runtime } from "../../core/runtime.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { createFakeClock } from "../../testing/mod.ts";
import { waitFor } from "../../tests/_helpers.ts";
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
  const clock = createFakeClock();
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime, clock });
  const reports: { at: number; files: TailedFile[] }[] = [];
  app.bus.on("tail:files", (e) => reports.push({ at: clock.monotonic(), files: e.files }));
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  await waitFor(() => clock.pending > 0, 10_000, "the source to wait for lines");
  appendFileSync(join(dir, "a.log"), "one\ntwo\nthr");
  await clock.advance(250); // the source's idle wait: whatever woke it (this or a watch hint), it reads the lines
  const savedOffset = () => (existsSync(join(dir, STATE)) ? JSON.parse(readFileSync(join(dir, STATE), "utf8")).files[0]?.offset : undefined);
  await waitFor(() => savedOffset() === 8, 10_000, "the position to be saved after the sink wrote");
  assert.equal(savedOffset(), 8, "saved after the sink wrote, before the unfinished line");
  // The loop wakes at least every 250 ms when idle and reports once 1000 ms have passed since the last report.
  await clock.advance(990 - clock.monotonic());
  assert.equal(reports.length, 0, "no report within the first second");
  await clock.advance(1300 - clock.monotonic());
  assert.equal(reports.length, 1, `one report by 1.3 s: ${reports.map((r) => r.at).join(", ")}`);
  await clock.advance(2600 - clock.monotonic());
  assert.equal(reports.length, 2, `two reports by 2.6 s: ${reports.map((r) => r.at).join(", ")}`);
  assert.ok(reports[1]!.at - reports[0]!.at >= 1000, "at least a second apart");
  const last = reports[1]!.files[0]!;
  assert.deepEqual({ ...last, id: typeof last.id }, { id: "string", path: join(dir, "a.log"), position: 11, size: 11, lag: 0, state: "active" });
  (await app.stop())._unsafeUnwrap();
  assert.equal(reports.length, 3, "and one final report at stop");
  assert.ok(!JSON.stringify(reports).includes("out.jsonl"), "never its own output");
});

test("positions are fsynced only when a sink of the pipeline fsyncs: as durable as the lines they stand for", async (t) => {
  for (const fsync of [false, true]) {
    const { dir, runtime } = setup(t);
    writeFileSync(join(dir, "a.log"), "one\ntwo\n");
    const saves: Array<boolean | undefined> = [];
    const fs = { ...runtime.fs, writeAtomic: (path: string, data: string, options?: { sync?: boolean }) => (saves.push(options?.sync), runtime.fs.writeAtomic(path, data, options)) };
    const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", once: true, stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl"), fsync })] } } }, { registry: new Map() })._unsafeUnwrap();
    const app = createApp(config, { runtime: { ...runtime, fs } });
    (await app.start())._unsafeUnwrap();
    assert.deepEqual(await app.finished, []);
    assert.ok(saves.length > 0, "positions were saved");
    assert.deepEqual(new Set(saves), new Set([fsync]), `sink fsync: ${fsync}`);
    assert.equal(JSON.parse(readFileSync(join(dir, STATE), "utf8")).files[0].offset, 8);
  }
});

test("a spoiled state file while following (no fromBeginning): the files are read from their start, nothing is missed", async (t) => {
  const { dir, runtime, warnings } = setup(t);
  mkdirSync(join(dir, "state"));
  writeFileSync(join(dir, STATE), "{\"version\":1,\"files\":[{\"pa");
  writeFileSync(join(dir, "a.log"), "one\ntwo\n");
  const clock = createFakeClock();
  const config = validateConfig({ pipelines: { c: { sources: [tail({ include: "*.log", stateDir: "state" })], sinks: [jsonl({ path: join(dir, "out.jsonl") })] } } }, { registry: new Map() })._unsafeUnwrap();
  const app = createApp(config, { runtime, clock });
  (await app.start())._unsafeUnwrap();
  t.after(() => void app.stop());
  const written = () => (existsSync(join(dir, "out.jsonl")) ? readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n").filter(Boolean).length : 0);
  await waitFor(() => written() === 2, 10_000, "the lines already in the file to be written");
  assert.match(warnings.join(""), /state file .* is not valid JSON; starting without saved positions: the files are read from their start/);
});
