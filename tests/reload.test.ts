/**
 * Hot reload with a live writer: a tail source follows a file that is being appended to,
 * the config is reloaded several times (its tag transform changes in between), and the
 * JSONL output must hold every line exactly once; the untouched pipeline keeps running.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../core/app.ts";
import { validateConfig, type ResolvedConfig } from "../core/config/validate.ts";
import { formatReloadPlan } from "../core/reload.ts";
import type { Runtime } from "../core/runtime.ts";
import { heartbeat } from "../plugins/heartbeat/mod.ts";
import { jsonl } from "../plugins/jsonl/mod.ts";
import { tag } from "../plugins/tag/mod.ts";
import { tail } from "../plugins/tail/mod.ts";
import { detectRuntime } from "../runtime/detect.ts";
import { tempDir, waitFor } from "./_helpers.ts";

const base = await detectRuntime();
const TOTAL = 4000;

function config(dir: string, version: number): ResolvedConfig {
  const value = {
    pipelines: {
      collect: {
        sources: [tail({ include: join(dir, "app.log"), fromBeginning: true, stateDir: join(dir, "state"), pollInterval: "200ms" })],
        transforms: [tag({ rules: [{ tag: `v${version}`, match: "seq" }] })],
        sinks: [jsonl({ path: join(dir, "out.jsonl") })],
      },
      beat: { sources: [heartbeat({ interval: "50ms" })], sinks: [jsonl({ path: join(dir, "beat.jsonl") })] },
    },
  };
  const resolved = validateConfig(value, { registry: new Map() });
  assert.ok(resolved.isOk(), JSON.stringify(resolved.isErr() && resolved.error.issues));
  return resolved.value;
}

const lines = (file: string): Array<{ message: string; tags: string[] }> => {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
};

test("reloads with a live writer: every line written exactly once, only the changed pipeline restarts", async (t) => {
  const { dir, cleanup } = tempDir("logsim-reload-");
  t.after(cleanup);
  const warnings: string[] = [];
  const runtime: Runtime = { ...base, cwd: () => dir, stderr: { isTTY: false, write: async (s) => void warnings.push(String(s)), flush: async () => {} } };
  writeFileSync(join(dir, "app.log"), "");
  const app = createApp(config(dir, 0), { runtime });
  (await app.start())._unsafeUnwrap();
  const beat = app.pipelines().find((p) => p.name === "beat")!;

  // The writer: sequenced lines in small bursts until TOTAL, concurrently with the reloads.
  let written = 0;
  const writer = (async () => {
    while (written < TOTAL) {
      let chunk = "";
      for (let i = 0; i < 25 && written < TOTAL; i++) chunk += `seq ${written++}\n`;
      appendFileSync(join(dir, "app.log"), chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const messages: string[] = [];
  for (let version = 1; version <= 4; version++) {
    const before = lines(join(dir, "out.jsonl")).length;
    await waitFor(() => lines(join(dir, "out.jsonl")).length > before, 30_000, `lines written before reload ${version}`);
    const result = await app.reload(config(dir, version));
    assert.ok(result.isOk(), JSON.stringify(result.isErr() && result.error.errors));
    messages.push(formatReloadPlan(result.value));
  }
  await writer;
  await waitFor(() => lines(join(dir, "out.jsonl")).length >= TOTAL, 60_000, `all ${TOTAL} lines in the output`);
  (await app.stop())._unsafeUnwrap();

  assert.deepEqual(messages, Array(4).fill("restarted pipeline collect (transforms changed); beat unchanged"));
  const out = lines(join(dir, "out.jsonl"));
  const counts = new Map<number, number>();
  for (const r of out) {
    const seq = Number(/^seq (\d+)$/.exec(r.message)![1]);
    counts.set(seq, (counts.get(seq) ?? 0) + 1);
  }
  const missing = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => !counts.has(i));
  const twice = [...counts].filter(([, n]) => n > 1).map(([seq]) => seq);
  assert.deepEqual({ missing, twice }, { missing: [], twice: [] }, "every seq exactly once");
  assert.equal(out.length, TOTAL);
  const versions = new Set(out.map((r) => r.tags.join(",")));
  assert.ok(versions.size >= 3, `the new tag applies after each reload (saw ${[...versions].join(" ")})`);
  assert.equal(app.pipelines().find((p) => p.name === "beat"), beat, "the unchanged pipeline is the same, never restarted");
  assert.equal(beat.state, "stopped");
  assert.deepEqual(warnings.filter((w) => /error|fail/i.test(w)), []);
});
