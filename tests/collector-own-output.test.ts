/** The collector never reads what its own pipeline writes, also when a sink writes to its default path. */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./_helpers.ts";

test("a tail whose glob covers its own jsonl sink (default path) and dead-letter file does not read them", { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, "collected_logs"));
    writeFileSync(join(dir, "collected_logs/input.jsonl"), '{"message":"one","level":"info"}\nnot json\n');
    const config = {
      pipelines: {
        loop: {
          sources: [{ use: "tail", include: ["collected_logs/*.jsonl"], once: true }],
          parsers: [{ use: "json" }],
          sinks: [{ use: "jsonl" }],
        },
      },
    };
    writeFileSync(join(dir, "logsim.config.json"), JSON.stringify(config));
    const r = await runCli(["run"], { cwd: dir, timeoutMs: 50_000 });
    assert.equal(r.code, 0, r.stderr);
    const collected = readFileSync(join(dir, "collected_logs/collected.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(collected.map((l) => JSON.parse(l).message), ["one"]);
    const dead = readFileSync(join(dir, "collected_logs/loop.deadletter.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(dead.map((l) => JSON.parse(l).line), ["not json"]);
  } finally {
    cleanup();
  }
});
