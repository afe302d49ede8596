import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createApp } from "../../core/app.ts";
import { validateConfig } from "../../core/config/validate.ts";
import { detectRuntime } from "../../runtime/detect.ts";
import { tempDir } from "../../tests/_helpers.ts";
import { heartbeat } from "../heartbeat/mod.ts";
import { jsonl } from "./mod.ts";
import { rotatingFile } from "../rotating-file/mod.ts";

const runtime = await detectRuntime();

test("jsonl appends one JSON object per record, creating folders, and a second run appends", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "deep/er/out.jsonl");
    for (let run = 0; run < 2; run++) {
      const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms", count: 3, service: "s" })], sinks: [jsonl({ path })] } } }, { registry: new Map() });
      const app = createApp(config._unsafeUnwrap(), { runtime });
      await app.start();
      assert.deepEqual(await app.finished, []);
    }
    const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    assert.deepEqual(Object.keys(lines[0]), ["timestamp", "level", "service", "message", "seq", "uptime_s"]);
    assert.match(lines[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(lines.map((l) => l.seq), [1, 2, 3, 1, 2, 3]);
  } finally {
    cleanup();
  }
});

test("rotating-file announces each rotation on the bus", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, "app.log");
    const config = validateConfig({ pipelines: { p: { sources: [heartbeat({ interval: "1ms", count: 40 })], sinks: [rotatingFile({ path, maxBytes: 200, backups: 2, format: "%(message)s %(seq)s" })] } } }, { registry: new Map() });
    const app = createApp(config._unsafeUnwrap(), { runtime });
    const rotated: string[] = [];
    app.bus.on("sink:rotated", (e) => rotated.push(`${e.pipeline} ${e.plugin} ${e.path}`));
    await app.start();
    await app.finished;
    // 40 lines of 20-21 bytes into 200-byte files: 9-10 lines per file, so 4 rotations.
    assert.equal(rotated.length, 4);
    assert.equal(rotated[0], `p pipelines.p.sinks[0] ${path}`);
    assert.match(readFileSync(path, "utf8"), /Service heartbeat 40\n$/);
  } finally {
    cleanup();
  }
});
